"""Statistics and early warning (统计分析与预警): figures, warnings, alerts, charts, exports."""
