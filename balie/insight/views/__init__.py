"""Insight pages: the dashboards with their exports and open data (dashboard), the accountability report (report)."""

from .dashboard import query_for, resolve  # noqa: F401  (bench/insight.py and tests resolve dashboard URLs)
