"""Signals any app may send: `records_written` (sender: the model) after rows were
written in bulk (bulk_create, QuerySet.update), which send no post_save; whatever
keeps copies of those rows (reports.cache) listens."""

from django.dispatch import Signal

records_written = Signal()
