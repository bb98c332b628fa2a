"""A real read replica: a PostgreSQL hot standby streaming from the test database's
server (platform/local-services.sh start-replica: pg_basebackup, then hot
standby). The report pages read the summary tables there (the queries arrive on
the standby, and while its replay is paused the page shows the figures of before);
writes go to the primary; with the standby stopped the page reads the primary
with no error; /healthz shows the replication lag."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test.utils import CaptureQueriesContext

from common.replica import REPLICA, replica_back
from reports import rollups
from reports.models import DailySales
from tests.reports.test_sales_report import county_c, sale
from tests.services.stack import local_services

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
__all__ = ["county_c"]  # the fixture, used by name

PAGE = "/reports/sales/"
PERIOD = {"start": "2018-01", "end": "2018-12"}
DEADLINE_SECONDS = 30


@pytest.fixture
def replica(transactional_db, settings):
    """The standby, as the "replica" alias: a connection made here, outside the
    test database's aliases (so the test may use it, and it is never flushed: it
    is read-only), and in DATABASES, so the router sends the reports there."""
    local_services("start-replica")
    entry = {
        **connection.settings_dict,
        "PORT": str(int(connection.settings_dict["PORT"] or 5432) + 1),
        "OPTIONS": {**connection.settings_dict["OPTIONS"], "connect_timeout": 1},
    }
    connections[REPLICA] = DatabaseWrapper(entry, alias=REPLICA)
    settings.DATABASES = {**settings.DATABASES, REPLICA: entry}
    replica_back()
    yield connections[REPLICA]
    connections[REPLICA].close()
    del connections[REPLICA]
    replica_back()
    local_services("stop-replica")


def one(alias: str, sql: str, params=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def caught_up(function: str = "pg_last_wal_replay_lsn") -> None:
    """Wait until the standby has replayed (or received, with
    pg_last_wal_receive_lsn) everything the primary has written."""
    position = one("default", "SELECT pg_current_wal_insert_lsn()")
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not one(REPLICA, f"SELECT {function}() >= %s::pg_lsn", [position]):
        if time.monotonic() > deadline:
            pytest.fail(f"the standby did not reach {position} in {DEADLINE_SECONDS} s")
        time.sleep(0.1)


def replayed() -> None:
    caught_up()


def shown_gmv(page) -> str:
    figure = page.context["report"].figures[0]
    assert figure.key == "gmv"
    return str(figure.value)


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_report_pages_read_the_standby_and_writes_go_to_the_primary(
    client, county_c, replica
):
    county, official, assignment = county_c
    client.force_login(official)
    assert one(REPLICA, "SELECT pg_is_in_recovery()") is True
    replayed()
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        first = client.get(PAGE, PERIOD)
    assert shown_gmv(first) == "200.00"
    assert any("reports_monthlysales" in q["sql"] for q in on_replica.captured_queries)
    assert not any("reports_monthly" in q["sql"] for q in on_primary.captured_queries)

    # The standby's replay paused, a sale and its day rebuilt: written on the
    # primary; the page still shows what the standby holds.
    one(REPLICA, "SELECT pg_wal_replay_pause()")
    try:
        sale(assignment.farmer.products.get(), 2, (2018, 5, 2))
        rollups.rebuild_day(date(2018, 5, 2))
        on_the_day = DailySales.objects.using("default").filter(day=date(2018, 5, 2))
        assert on_the_day.get().gmv == Decimal("100.00")  # 2 × ¥50 on the primary
        assert (
            not DailySales.objects.using(REPLICA).filter(day=date(2018, 5, 2)).exists()
        )
        paused = client.get(PAGE, PERIOD)
        assert shown_gmv(paused) == "200.00"
        caught_up("pg_last_wal_receive_lsn")  # received, not yet replayed: a lag
        health = client.get("/healthz").json()
        assert health["replica"] == "ok" and health["replication_lag_bytes"] > 0
        # Seconds since the last transaction replayed: none may have been yet.
        assert health["replication_lag_seconds"] in (None,) or (
            health["replication_lag_seconds"] > 0
        )
    finally:
        one(REPLICA, "SELECT pg_wal_replay_resume()")
    replayed()
    # What was read from the paused standby was not kept: the new figure shows.
    assert shown_gmv(client.get(PAGE, PERIOD)) == "300.00"
    health = client.get("/healthz").json()
    assert health["replica"] == "ok" and health["replication_lag_bytes"] == 0
    assert health["replication_lag_seconds"] == 0


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_with_the_standby_stopped_reports_read_the_primary(client, county_c, replica):
    county, official, assignment = county_c
    client.force_login(official)
    local_services("stop-replica")
    with CaptureQueriesContext(connection) as on_primary:
        page = client.get(PAGE, PERIOD)
    assert page.status_code == 200 and shown_gmv(page) == "200.00"
    assert any("reports_monthlysales" in q["sql"] for q in on_primary.captured_queries)
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["replica"] == "down" and health.json()["database"] == "ok"
