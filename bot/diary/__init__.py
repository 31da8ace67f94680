"""The pain diary: handlers (log, view, edit, export), stats, dates, queries, charts, report."""
