"""Report exports: a Celery job with status and progress, a download for whoever
asked only, CSV and XLSX with the report's figures, expiry after 7 days, clear
failure, and no export left "running" forever."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from reports.exports import (
    RESEND_AFTER,
    STALE_AFTER,
    export_build,
    exports_fail_stale,
    exports_purge_expired,
    exports_resend_waiting,
)
from reports.models import ReportExport
from reports.tasks import export_housekeeping
from tests.factories import UserFactory
from tests.reports.test_sales_report import county_c  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
FILTERS = {"start": "2018-01", "end": "2018-12"}


@pytest.fixture
def start_export(django_capture_on_commit_callbacks):
    """Post the export form; the job, queued on commit, runs at the request's end."""

    def start(client, file_format, **filters):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/reports/exports/",
                {
                    "report": "county_sales",
                    **FILTERS,
                    **filters,
                    "format": file_format,
                },
            )

    return start


def test_an_xlsx_export_runs_as_a_job_and_downloads(client, county_c, start_export):  # noqa: F811
    county, official, _assignment = county_c
    client.force_login(official)
    response = start_export(client, "xlsx", county=county.code)
    export = ReportExport.objects.get()
    assert response.url == f"/reports/exports/{export.pk}/"
    assert (export.status, export.progress) == ("done", 100)
    assert export.expires_at - export.finished_at == timedelta(days=7)
    page = client.get(response.url)
    assert 'id="export-download"' in page.content.decode()
    status = client.get(response.url, headers={"HX-Request": "true"})
    assert 'data-status="done"' in status.content.decode()
    download = client.get(f"/reports/exports/{export.pk}/download/")
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    summary = {row[0]: row[2] for row in book["summary"].iter_rows(values_only=True)}
    assert summary["completed"] == 150.0 and summary["orders"] == 3
    months = list(book["by_month"].iter_rows(values_only=True))
    assert months[0] == ("month", "gmv", "previous", "growth")
    assert len(months) == 13


def test_a_csv_export_follows_the_documented_layout(client, county_c, start_export):  # noqa: F811
    client.force_login(county_c[1])
    start_export(client, "csv")
    export = ReportExport.objects.get()
    rows = list(csv.reader(io.StringIO(export.file.read().decode("utf-8-sig"))))
    assert rows[0] == ["summary"] and rows[1] == ["key", "value"]
    assert ["completed", "150.00"] in rows
    top = rows.index(["top_farmers"])
    assert rows[top + 1] == [
        "name",
        "gmv",
        "completed",
        "orders",
        "units",
        "net",
        "unit_sales",
    ]


def test_someone_elses_export_is_404(client, county_c, start_export):  # noqa: F811
    client.force_login(county_c[1])
    start_export(client, "csv")
    export = ReportExport.objects.get()
    other = UserFactory(role=Role.OFFICIAL)
    client.force_login(other)
    assert client.get(f"/reports/exports/{export.pk}/").status_code == 404
    assert client.get(f"/reports/exports/{export.pk}/download/").status_code == 404
    client.force_login(UserFactory())  # a buyer: a unit's admin reads a report
    assert client.get(f"/reports/exports/{export.pk}/download/").status_code == 404
    client.force_login(UserFactory(role=Role.FARMER))  # no report at all
    assert client.get(f"/reports/exports/{export.pk}/download/").status_code == 403


def test_bad_filters_or_formats_start_nothing(client, county_c, start_export):  # noqa: F811
    client.force_login(county_c[1])
    start_export(client, "pdf")
    start_export(client, "csv", start="2019-01", end="2018-01")
    assert not ReportExport.objects.exists()
    assert client.get("/reports/exports/").status_code == 405


def test_expired_files_are_gone(client, county_c, start_export):  # noqa: F811
    client.force_login(county_c[1])
    start_export(client, "csv")
    export = ReportExport.objects.get()
    ReportExport.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/reports/exports/{export.pk}/download/").status_code == 404
    assert exports_purge_expired() == 1
    assert exports_purge_expired() == 0
    export.refresh_from_db()
    assert not export.file
    page = client.get(f"/reports/exports/{export.pk}/").content.decode()
    assert 'id="export-download"' not in page


def test_a_failed_or_lost_job_ends_failed_never_running(client, county_c, start_export):  # noqa: F811
    official = county_c[1]
    lost = ReportExport.objects.create(
        requested_by=official, report="county_sales", params=FILTERS, format="csv"
    )
    ReportExport.objects.filter(pk=lost.pk).update(
        status="running", started_at=timezone.now() - timedelta(hours=1)
    )
    assert export_housekeeping() == {"failed": 1, "resent": 0, "purged": 0}
    lost.refresh_from_db()
    assert lost.status == "failed"
    assert lost.error == "timed out: its worker stopped before finishing it"
    # A county the requester no longer oversees: the job fails clearly.
    moved = ReportExport.objects.create(
        requested_by=official,
        report="county_sales",
        params={**FILTERS, "county": "999999"},
        format="csv",
    )
    with pytest.raises(ValueError):
        export_build(moved.pk)
    moved.refresh_from_db()
    assert moved.status == "failed" and moved.error
    client.force_login(official)
    assert (
        'role="alert"' in client.get(f"/reports/exports/{moved.pk}/").content.decode()
    )
    assert exports_fail_stale() == 0


def test_housekeeping_fails_a_running_export_only_past_the_hard_time_limit(
    settings,
    county_c,  # noqa: F811
):
    settings.CELERY_TASK_TIME_LIMIT = 360
    now = timezone.now()
    running = ReportExport.objects.create(
        requested_by=county_c[1], report="county_sales", params=FILTERS, format="csv"
    )
    ReportExport.objects.filter(pk=running.pk).update(
        status="running", started_at=now - timedelta(seconds=360)
    )
    # Celery may still be running it (up to the hard limit and a minute).
    assert exports_fail_stale(now) == 0
    assert exports_fail_stale(now + timedelta(seconds=61)) == 1
    running.refresh_from_db()
    assert (running.status, running.finished_at) == (
        "failed",
        now + timedelta(seconds=61),
    )


def test_a_waiting_export_is_sent_again_then_failed_if_never_started(
    county_c,  # noqa: F811
):
    now = timezone.now()
    waiting = ReportExport.objects.create(
        requested_by=county_c[1], report="county_sales", params=FILTERS, format="csv"
    )
    assert exports_resend_waiting(now) == 0  # just asked: its task is on its way
    # Its message was lost: housekeeping sends it again (run in-process here).
    assert exports_resend_waiting(now + RESEND_AFTER + timedelta(seconds=1)) == 1
    waiting.refresh_from_db()
    assert waiting.status == "done" and waiting.file
    never = ReportExport.objects.create(
        requested_by=county_c[1], report="county_sales", params=FILTERS, format="csv"
    )
    later = now + STALE_AFTER + timedelta(seconds=1)
    assert exports_resend_waiting(later) == 0
    assert exports_fail_stale(later) == 1
    never.refresh_from_db()
    assert never.status == "failed"
    assert never.error == "timed out: no worker started it within 30 minutes"


def test_a_duplicate_delivery_leaves_a_running_export_to_its_worker(
    county_c,  # noqa: F811
):
    export = ReportExport.objects.create(
        requested_by=county_c[1], report="county_sales", params=FILTERS, format="csv"
    )
    ReportExport.objects.filter(pk=export.pk).update(
        status="running", started_at=timezone.now()
    )
    assert export_build(export.pk) == "running"
    export.refresh_from_db()
    assert export.status == "running" and not export.file


def test_building_twice_changes_nothing(client, county_c, start_export):  # noqa: F811
    client.force_login(county_c[1])
    start_export(client, "csv")
    export = ReportExport.objects.get()
    name = export.file.name
    assert export_build(export.pk) == "done"
    export.refresh_from_db()
    assert export.file.name == name


def test_formulas_in_names_stay_text(client, county_c, start_export):  # noqa: F811
    county, official, assignment = county_c
    farmer = assignment.farmer
    farmer.shop_name = '=HYPERLINK("http://evil.example","x")'
    farmer.save()
    client.force_login(official)
    start_export(client, "xlsx")
    export = ReportExport.objects.get()
    book = load_workbook(export.file.open("rb"))
    cell = book["top_farmers"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_csv_money_keeps_its_two_decimals(client, county_c, start_export):  # noqa: F811
    client.force_login(county_c[1])
    start_export(client, "csv")
    export = ReportExport.objects.get()
    rows = list(csv.reader(io.StringIO(export.file.read().decode("utf-8-sig"))))
    top = rows.index(["top_farmers"])
    header, first = rows[top + 1], rows[top + 2]
    for key in ("gmv", "completed", "net"):
        assert re.fullmatch(r"\d+\.\d\d", first[header.index(key)]), first
