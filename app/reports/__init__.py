"""Supervisor reports: the daily report and period reports (figures defined in app.reports.figures)."""
