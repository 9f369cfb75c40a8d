"""Time to build the department statistics charts (egov.approvals.charts) for 200 departments.

Usage: .venv/bin/python -m bench.approvals_charts [--departments 200] [--runs 20]

Prints the mean time of building both figures (counts and on-time rate) after one
warm-up, and the size of the HTML fragment they add to the page.
"""

from __future__ import annotations

import argparse
import os
import timeit

from bench.machine import describe_machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    import django

    django.setup()
    from egov.approvals.charts import counts_chart, on_time_chart
    from egov.approvals.selectors import DepartmentFigures

    rows = [
        DepartmentFigures(f"D{i}", f"部门{i}", 100 + i, 90, 80, 70, 60, 3.0)
        for i in range(args.departments)
    ]
    fragment = len(counts_chart(rows)) + len(on_time_chart(rows))
    seconds = timeit.timeit(lambda: (counts_chart(rows), on_time_chart(rows)), number=args.runs)
    print(f"Machine: {describe_machine()}")
    print(
        f"both charts, {args.departments} departments: {seconds / args.runs * 1000:.1f} ms "
        f"per page (mean of {args.runs}); fragment {fragment:,} bytes"
    )


if __name__ == "__main__":
    main()
