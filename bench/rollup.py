"""Figures 1 and 2: the full rollup rebuild (reports.rollups.rebuild_all) against
the same five tables filled by hand-written SQL, one `INSERT … SELECT … GROUP BY`
each, over the same rows; and one dirty day rebuilt (rebuild_dirty)."""

import statistics
import time
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.results import AT_MOST, Figure
from reports.models import (
    DailyCategorySales,
    DailyFarmerSales,
    DailySales,
    DirtyDay,
    MonthlyFarmerSales,
    MonthlyProductSales,
)
from reports.rollups import rebuild_all, rebuild_dirty

TABLES = [
    DailySales,
    DailyCategorySales,
    DailyFarmerSales,
    MonthlyFarmerSales,
    MonthlyProductSales,
]
DAY = "(o.paid_at AT TIME ZONE %(tz)s)::date"
MONTH = f"date_trunc('month', {DAY})::date"
FIGURES = """
    SUM(l.line_total),
    SUM(CASE WHEN o.status = 'completed' THEN l.line_total ELSE 0 END),
    SUM(CASE WHEN o.status IN ('cancelled', 'refunded') THEN l.line_total ELSE 0 END),
    COUNT(DISTINCT o.id), SUM(l.quantity), COUNT(DISTINCT o.buyer_id)"""
FIGURE_COLUMNS = "gmv, completed, refunds, orders, units, buyers"
# Each table: its key columns and the expressions that fill them.
BY_HAND = {
    DailySales: (
        "day, county_id, village_id, assistant_id",
        f"{DAY}, o.county_id, o.village_id, o.assistant_id",
    ),
    DailyCategorySales: (
        "day, county_id, category_id",
        f"{DAY}, o.county_id, p.category_id",
    ),
    DailyFarmerSales: ("day, county_id, farmer_id", f"{DAY}, o.county_id, o.farmer_id"),
    MonthlyFarmerSales: (
        "month, county_id, village_id, farmer_id",
        f"{MONTH}, o.county_id, o.village_id, o.farmer_id",
    ),
    MonthlyProductSales: (
        "month, county_id, product_id",
        f"{MONTH}, o.county_id, l.product_id",
    ),
}
REPEATS = 3
DIRTY_REPEATS = 5
DIRTY_DAY_TARGET_SECONDS = 1.0
RATIO_TARGET = 1.3


def _by_hand_statement(model) -> str:
    keys, expressions = BY_HAND[model]
    count = len(keys.split(","))
    group = ", ".join(str(n + 1) for n in range(count))
    join = (
        "JOIN farmers_product p ON p.id = l.product_id" if "p." in expressions else ""
    )
    return (
        f"INSERT INTO {model._meta.db_table} ({keys}, {FIGURE_COLUMNS}) "  # noqa: S608
        f"SELECT {expressions}, {FIGURES} "
        f"FROM orders_orderline l JOIN orders_order o ON o.id = l.order_id {join} "
        f"WHERE o.paid_at IS NOT NULL GROUP BY {group}"
    )


@transaction.atomic
def rebuild_by_hand() -> None:
    """What rebuild_all does, written by hand: empty the tables, refill each."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {DirtyDay._meta.db_table}")  # noqa: S608
        for model in TABLES:
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608
            cursor.execute(_by_hand_statement(model), {"tz": settings.TIME_ZONE})


def _snapshot() -> dict:
    """Per table: rows and the sum of every figure, to check both ways agree."""
    totals = {}
    with connection.cursor() as cursor:
        for model in TABLES:
            cursor.execute(
                f"SELECT COUNT(*), SUM(gmv), SUM(completed), SUM(refunds), "  # noqa: S608
                f"SUM(orders), SUM(units), SUM(buyers) FROM {model._meta.db_table}"
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
            note=f"best of {REPEATS} each; the baseline is the same five tables by "
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
