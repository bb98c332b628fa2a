"""Signals of the reports app: `export_requested` (sender ReportExport,
`export_id`, `again`), sent when an export is asked for (on commit it is
queued) or its task is sent again (at once). reports.receivers queues the
build, so the export services never import the tasks that call them."""

from django.dispatch import Signal

export_requested = Signal()
