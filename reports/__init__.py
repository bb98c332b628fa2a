"""Reports: sales rollups, report definitions, exports and their Celery jobs."""
