"""Demo data (演示数据): a month of cases with violations, and notices at each stage."""
