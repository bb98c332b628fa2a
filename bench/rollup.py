"""Figures 1 and 2: the full rollup rebuild (reports.rollups.rebuild_all) against
the same tables filled by hand-written SQL, one `INSERT … SELECT … GROUP BY`
each (the daily ones from the order lines, the monthly ones from the daily), over
the same rows; and one dirty day rebuilt (rebuild_dirty)."""

import statistics
import time
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.results import AT_MOST, Figure
from orders.models import DirtyDay
from reports.rollups import DAILY, MONTHLY, rebuild_all, rebuild_dirty

TABLES = [*DAILY, *MONTHLY]
DAY = "(o.paid_at AT TIME ZONE %(tz)s)::date"
FIGURES = """
    SUM(l.line_total),
    SUM(CASE WHEN o.status = 'completed' THEN l.line_total ELSE 0 END),
    SUM(CASE WHEN o.status IN ('cancelled', 'refunded') THEN l.line_total ELSE 0 END),
    COUNT(DISTINCT o.id), SUM(l.quantity), COUNT(DISTINCT o.buyer_id)"""
FIGURE_COLUMNS = "gmv, completed, refunds, orders, units"
# Each daily table: its key columns and the expressions that fill them from the
# order lines (l), their orders (o) and products (p).
DAILY_BY_HAND = {
    "reports_dailysales": (
        "day, county_id, village_id, assistant_id",
        f"{DAY}, o.county_id, o.village_id, o.assistant_id",
    ),
    "reports_dailycategorysales": (
        "day, county_id, category_id, village_id",
        f"{DAY}, o.county_id, p.category_id, o.village_id",
    ),
    "reports_dailyfarmersales": (
        "day, county_id, village_id, farmer_id",
        f"{DAY}, o.county_id, o.village_id, o.farmer_id",
    ),
    "reports_dailyproductsales": (
        "day, county_id, product_id",
        f"{DAY}, o.county_id, l.product_id",
    ),
}
# Each monthly table: the daily table it sums, and its keys besides the month.
MONTHLY_BY_HAND = {
    "reports_monthlysales": (
        "reports_dailysales",
        "county_id, village_id, assistant_id",
    ),
    "reports_monthlycategorysales": (
        "reports_dailycategorysales",
        "county_id, category_id, village_id",
    ),
    "reports_monthlyfarmersales": (
        "reports_dailyfarmersales",
        "county_id, village_id, farmer_id",
    ),
    "reports_monthlyproductsales": (
        "reports_dailyproductsales",
        "county_id, product_id",
    ),
}
REPEATS = 3
DIRTY_REPEATS = 5
DIRTY_DAY_TARGET_SECONDS = 1.0
RATIO_TARGET = 1.3


def _group(count: int) -> str:
    return ", ".join(str(n + 1) for n in range(count))


def _daily_statement(table: str) -> str:
    keys, expressions = DAILY_BY_HAND[table]
    join = (
        "JOIN farmers_product p ON p.id = l.product_id" if "p." in expressions else ""
    )
    return (
        f"INSERT INTO {table} ({keys}, {FIGURE_COLUMNS}, buyers) "  # noqa: S608
        f"SELECT {expressions}, {FIGURES} "
        f"FROM orders_orderline l JOIN orders_order o ON o.id = l.order_id {join} "
        f"WHERE o.paid_at IS NOT NULL GROUP BY {_group(len(keys.split(',')))}"
    )


def _monthly_statement(table: str) -> str:
    source, keys = MONTHLY_BY_HAND[table]
    sums = ", ".join(f"SUM({column})" for column in FIGURE_COLUMNS.split(", "))
    return (
        f"INSERT INTO {table} (month, {keys}, {FIGURE_COLUMNS}) "  # noqa: S608
        f"SELECT date_trunc('month', day)::date, {keys}, {sums} FROM {source} "
        f"GROUP BY {_group(len(keys.split(',')) + 1)}"
    )


@transaction.atomic
def rebuild_by_hand() -> None:
    """What rebuild_all does, written by hand: empty the tables, refill each."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {DirtyDay._meta.db_table}")  # noqa: S608
        for table in DAILY_BY_HAND:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            cursor.execute(_daily_statement(table), {"tz": settings.TIME_ZONE})
        for table in MONTHLY_BY_HAND:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            cursor.execute(_monthly_statement(table))


def _snapshot() -> dict:
    """Per table: rows and the sum of every figure, to check both ways agree."""
    totals = {}
    with connection.cursor() as cursor:
        for model in TABLES:
            cursor.execute(
                f"SELECT COUNT(*), SUM(gmv), SUM(completed), SUM(refunds), "  # noqa: S608
                f"SUM(orders), SUM(units) FROM {model._meta.db_table}"
            )
            totals[model._meta.db_table] = [str(value) for value in cursor.fetchone()]
    return totals


def _timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def full_rebuild(results) -> None:
    """Figure 1, alternating the two ways; the best of REPEATS each."""
    ours, by_hand = [], []
    for _ in range(REPEATS):
        ours.append(_timed(rebuild_all))
        ours_rows = _snapshot()
        by_hand.append(_timed(rebuild_by_hand))
        by_hand_rows = _snapshot()
    rebuild_all()  # leave the product's own rows
    same = ours_rows == by_hand_rows
    results.facts["rollup rows"] = {k: int(v[0]) for k, v in ours_rows.items()}
    results.facts["rollup: hand-written SQL gives the same rows"] = same
    best, baseline = min(ours), min(by_hand)
    results.add(
        Figure(
            1,
            "rollup_full_seconds",
            "Full rollup rebuild (rebuild_all)",
            round(best, 3),
            "s",
            RATIO_TARGET,
            AT_MOST,
            baseline=round(baseline, 3),
            note=f"best of {REPEATS} each; the baseline is the same tables by "
            f"hand-written INSERT…SELECT…GROUP BY (bench.rollup); same rows: {same}",
        )
    )


def dirty_day(results, day: date) -> None:
    """Figure 2: one marked day rebuilt by rebuild_dirty; the median of
    DIRTY_REPEATS."""
    timings, statements = [], 0
    for _ in range(DIRTY_REPEATS):
        DirtyDay.objects.update_or_create(
            day=day, defaults={"marked_at": timezone.now()}
        )
        with CaptureQueriesContext(connection) as queries:
            timings.append(_timed(rebuild_dirty))
        statements = len(queries)
    median = statistics.median(timings)
    results.add(
        Figure(
            2,
            "dirty_day_seconds",
            f"One dirty day rebuilt ({day})",
            round(median, 4),
            "s",
            DIRTY_DAY_TARGET_SECONDS,
            AT_MOST,
            note=f"median of {DIRTY_REPEATS} (max {max(timings):.4f} s), {statements} "
            "statements each; compare across scales: it must not grow with history",
        )
    )


def settle() -> None:
    """After figure 1's seven full rebuilds: what autovacuum does within minutes
    of one (the old rows' space reclaimed, the visibility map set so the reports'
    covering indexes are read alone, fresh statistics), done at once, so that
    figure 2 and the report pages measure the tables as they are in service,
    not a race with autovacuum."""
    with connection.cursor() as cursor:
        for model in TABLES:
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")  # noqa: S608
