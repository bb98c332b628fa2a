"""Report exports: asking for one (a row, then a Celery job after commit), building
it (the report re-run as the requester, so scope holds; progress recorded table by
table; CSV or XLSX), failing clearly, and expiring files after EXPORT_DAYS.

A job is claimed (pending → running) in one UPDATE, so a duplicate delivery of its
task does nothing; one whose worker was lost is failed by the housekeeping job once
it has run past Celery's hard time limit, so nothing stays "running"
(docs/OPERATIONS.md).

The file's layout is a stable contract (docs/REPORTS.md): for each table, its key,
then a header row of column keys, then its rows; XLSX puts the figures on a
"summary" sheet and each table on a sheet named by its key."""

import csv
import io
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from common.spreadsheets import csv_cell, xlsx_cell
from reports.definitions import ReportResult
from reports.models import ReportExport
from reports.signals import export_requested

EXPORT_DAYS = 7
# A pending export older than this was never started (its message was lost while
# the broker was down, say; housekeeping sent it again meanwhile): it fails.
STALE_AFTER = timedelta(minutes=30)
# Housekeeping sends a pending export's task again after this long.
RESEND_AFTER = timedelta(minutes=5)


def running_timeout() -> timedelta:
    """A running export older than this has lost its worker: Celery kills a task at
    its hard time limit, so none runs longer (plus a minute for its last writes)."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


@transaction.atomic
def export_request(
    *, user, report: str, params: dict, file_format: str
) -> ReportExport:
    export = ReportExport.objects.create(
        requested_by=user, report=report, params=params, format=file_format
    )
    export_requested.send(sender=ReportExport, export_id=export.pk, again=False)
    return export


def _progress(export: ReportExport, percent: int, **fields) -> None:
    ReportExport.objects.filter(pk=export.pk).update(progress=percent, **fields)


def export_build(export_id: int) -> str:
    """Build one export; returns its status. Idempotent: only a pending export is
    built, claimed in one UPDATE, so a duplicate delivery (even one running at the
    same time) leaves a running, finished or failed export as it is."""
    claimed = ReportExport.objects.filter(
        pk=export_id, status=ReportExport.Status.PENDING
    ).update(status=ReportExport.Status.RUNNING, progress=5, started_at=timezone.now())
    export = ReportExport.objects.select_related("requested_by").get(pk=export_id)
    if not claimed:
        return export.status
    try:
        from reports.registry import run_as

        result = run_as(export.requested_by, export.report, export.params)
        if result is None:
            raise ValueError("the report's filters are no longer valid")
        _progress(export, 40)
        content = (_csv if export.format == ReportExport.Format.CSV else _xlsx)(
            result, lambda done: _progress(export, 40 + int(50 * done))
        )
        name = f"{export.report}-{export.pk}.{export.format}"
        export.file.save(name, ContentFile(content), save=False)
        now = timezone.now()
        ReportExport.objects.filter(pk=export.pk).update(
            file=export.file.name,
            status=ReportExport.Status.DONE,
            progress=100,
            finished_at=now,
            expires_at=now + timedelta(days=EXPORT_DAYS),
        )
    except SoftTimeLimitExceeded:
        limit = settings.CELERY_TASK_SOFT_TIME_LIMIT
        _fail(export.pk, f"stopped: it took longer than the {limit} s time limit")
        raise
    except Exception as exc:  # noqa: BLE001 - recorded as the export's failure
        _fail(export.pk, str(exc))
        raise
    return ReportExport.Status.DONE


def _fail(export_id: int, error: str) -> None:
    ReportExport.objects.filter(pk=export_id).update(
        status=ReportExport.Status.FAILED,
        error=error[:200],
        finished_at=timezone.now(),
    )


def _csv(result: ReportResult, advance) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["summary"])
    writer.writerow(["key", "value"])
    for figure in result.figures:
        writer.writerow([figure.key, figure.value])
    for done, table in enumerate(result.tables, 1):
        writer.writerow([])
        writer.writerow([table.key])
        keys = [column.key for column in table.columns]
        writer.writerow(keys)
        for row in table.rows:
            writer.writerow(
                ["" if row.get(key) is None else csv_cell(row.get(key)) for key in keys]
            )
        advance(done / len(result.tables))
    return out.getvalue().encode("utf-8-sig")  # Excel opens UTF-8 with a BOM


def _xlsx(result: ReportResult, advance) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "summary"
    summary.append(["key", "label", "value"])
    for figure in result.figures:
        summary.append([figure.key, str(figure.label), xlsx_cell(figure.value)])
    for done, table in enumerate(result.tables, 1):
        sheet = book.create_sheet(table.key[:31])
        keys = [column.key for column in table.columns]
        sheet.append(keys)
        for row in table.rows:
            sheet.append([xlsx_cell(row.get(key)) for key in keys])
        advance(done / len(result.tables))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def exports_fail_stale(now=None) -> int:
    """Fail the exports whose worker was lost mid-job (running past the hard time
    limit) and those no worker started (pending past STALE_AFTER)."""
    now = now or timezone.now()
    lost = ReportExport.objects.filter(
        status=ReportExport.Status.RUNNING, started_at__lt=now - running_timeout()
    ).update(
        status=ReportExport.Status.FAILED,
        error="timed out: its worker stopped before finishing it",
        finished_at=now,
    )
    minutes = int(STALE_AFTER.total_seconds() // 60)
    never_started = ReportExport.objects.filter(
        status=ReportExport.Status.PENDING, created_at__lt=now - STALE_AFTER
    ).update(
        status=ReportExport.Status.FAILED,
        error=f"timed out: no worker started it within {minutes} minutes",
        finished_at=now,
    )
    return lost + never_started


def exports_resend_waiting(now=None) -> int:
    """Send again the task of each export still pending after RESEND_AFTER (its
    message may have been lost while the broker was down). A duplicate is harmless:
    the first delivery claims the export."""
    now = now or timezone.now()
    waiting = ReportExport.objects.filter(
        status=ReportExport.Status.PENDING,
        created_at__lt=now - RESEND_AFTER,
        created_at__gte=now - STALE_AFTER,
    ).values_list("pk", flat=True)
    ids = list(waiting)
    for export_id in ids:
        export_requested.send(sender=ReportExport, export_id=export_id, again=True)
    return len(ids)


def exports_purge_expired(now=None) -> int:
    """Delete expired files (the rows stay, marked expired by their date)."""
    now = now or timezone.now()
    expired = ReportExport.objects.filter(expires_at__lt=now).exclude(file="")
    count = 0
    for export in expired:
        export.file.delete(save=False)
        ReportExport.objects.filter(pk=export.pk).update(file="")
        count += 1
    return count
