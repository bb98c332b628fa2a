"""Rebuilding the summary tables from the orders, set-based: for a day (or a
month, or everything since a date) one `INSERT … SELECT … GROUP BY` per table,
after deleting the rows it replaces, in one transaction. Running it twice gives
identical rows. The SELECT is Django's own aggregate query over the order lines,
so the local-time bucketing is the same on PostgreSQL and SQLite."""

from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Case, Count, DecimalField, F, Q, QuerySet, Sum, When
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from orders.models import Order, OrderLine, OrderStatus
from reports.definitions import month_end
from reports.models import (
    DailyCategorySales,
    DailyFarmerSales,
    DailySales,
    DirtyDay,
    MonthlyFarmerSales,
    MonthlyProductSales,
)

MONEY = DecimalField(max_digits=14, decimal_places=2)
CLOSED_AFTER_PAYMENT = (OrderStatus.CANCELLED, OrderStatus.REFUNDED)


def _figures() -> dict:
    def amount_when(condition: Q):
        return Sum(
            Case(When(condition, then=F("line_total")), default=0, output_field=MONEY),
            output_field=MONEY,
        )

    return {
        "gmv": Sum("line_total", output_field=MONEY),
        "completed": amount_when(Q(order__status=OrderStatus.COMPLETED)),
        "refunds": amount_when(Q(order__status__in=CLOSED_AFTER_PAYMENT)),
        "orders": Count("order", distinct=True),
        "units": Sum("quantity"),
        "buyers": Count("order__buyer", distinct=True),
    }


def _paid_lines(start: datetime | None, end: datetime | None) -> QuerySet:
    lines = OrderLine.objects.filter(order__paid_at__isnull=False)
    if start is not None:
        lines = lines.filter(order__paid_at__gte=start)
    if end is not None:
        lines = lines.filter(order__paid_at__lt=end)
    return lines.order_by()


# Group keys are annotated under this prefix (an order line has its own
# "product_id"); _insert strips it to name the table's columns.
KEY = "key_"


def _grouped(lines: QuerySet, keys: dict) -> QuerySet:
    """`keys` (column → expression) as the GROUP BY, then the figures."""
    aliased = {f"{KEY}{column}": expression for column, expression in keys.items()}
    return lines.annotate(**aliased).values(*aliased).annotate(**_figures())


def _day():
    """The local day of the payment."""
    return TruncDate("order__paid_at", tzinfo=timezone.get_current_timezone())


def _month():
    """The month of the local day (a date, not a UTC timestamp)."""
    return TruncMonth(_day())


def _rollup(bucket, **keys):
    """The query filling a table: lines paid in [start, end), grouped by the bucket
    (`day` or `month`), the county of the sale and `keys` (column → expression)."""

    def query(start, end) -> QuerySet:
        columns = {bucket: {"day": _day, "month": _month}[bucket]()}
        columns["county_id"] = F("order__county_id")
        return _grouped(_paid_lines(start, end), {**columns, **keys})

    return query


REBUILD_LOCK = 7_427_001  # any constant the platform uses for nothing else
# Each summary table and the query that fills it.
DAILY = {
    DailySales: _rollup(
        "day",
        village_id=F("order__village_id"),
        assistant_id=F("order__assistant_id"),
    ),
    DailyCategorySales: _rollup("day", category_id=F("product__category_id")),
    DailyFarmerSales: _rollup("day", farmer_id=F("order__farmer_id")),
}
MONTHLY = {
    MonthlyFarmerSales: _rollup(
        "month", village_id=F("order__village_id"), farmer_id=F("order__farmer_id")
    ),
    MonthlyProductSales: _rollup("month", product_id=F("product_id")),
}


def _insert(model, query: QuerySet) -> None:
    """INSERT INTO the model's table the rows `query` selects, by column name."""
    if query.query.values_select:  # every key must be an aliased annotation
        raise ValueError("group keys must be annotations")
    columns = list(query.query.annotation_select)
    sql, params = query.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(
        connection.ops.quote_name(name.removeprefix(KEY)) for name in columns
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)  # noqa: S608


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00) in local time."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first, time(), tz),
        datetime.combine(last + timedelta(days=1), time(), tz),
    )


def _month_of(day: date) -> tuple[date, date]:
    return day.replace(day=1), month_end(day)


def mark_dirty(order: Order) -> None:
    """The order's sale day needs rebuilding (called by the order transitions)."""
    if order.paid_at is None:
        return
    day = timezone.localdate(order.paid_at)
    # An upsert, not "ignore": it locks the day's row until the change commits, so
    # a rebuild that would clear the mark waits and then sees the change.
    DirtyDay.objects.bulk_create(
        [DirtyDay(day=day, marked_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=["marked_at"],
    )


def _serialise_rebuilds() -> None:
    """One rebuild at a time (PostgreSQL advisory lock, held to the transaction's
    end): two rebuilds of one month would each keep the other's rows. SQLite
    has one writer anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REBUILD_LOCK])


@transaction.atomic
def rebuild_day(day: date) -> None:
    """Replace one day's daily rows, and its month's monthly rows."""
    _serialise_rebuilds()
    DirtyDay.objects.filter(day=day).delete()
    start, end = _bounds(day, day)
    for model, query in DAILY.items():
        model.objects.filter(day=day).delete()
        _insert(model, query(start, end))
    first, last = _month_of(day)
    for model, query in MONTHLY.items():
        model.objects.filter(month=first).delete()
        _insert(model, query(*_bounds(first, last)))


def rebuild_dirty() -> list[date]:
    """Rebuild every day marked dirty, each in its own transaction; returns them."""
    days = list(DirtyDay.objects.order_by("day").values_list("day", flat=True))
    for day in days:
        rebuild_day(day)
    return days


@transaction.atomic
def rebuild_all(since: date | None = None) -> None:
    """Rebuild every row (from `since`'s month on, if given), one statement per
    table."""
    _serialise_rebuilds()
    start = month = month_start = None
    if since is not None:
        start = _bounds(since, since)[0]
        month = since.replace(day=1)
        month_start = _bounds(month, month)[0]
    dirty = DirtyDay.objects.all()
    (dirty.filter(day__gte=since) if since else dirty).delete()
    for model, query in DAILY.items():
        rows = model.objects.all()
        (rows.filter(day__gte=since) if since else rows).delete()
        _insert(model, query(start, None))
    for model, query in MONTHLY.items():
        rows = model.objects.all()
        (rows.filter(month__gte=month) if since else rows).delete()
        _insert(model, query(month_start, None))
