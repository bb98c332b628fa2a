"""Rebuilding the summary tables, set-based: for a day (or everything since a
date) one `INSERT … SELECT … GROUP BY` per table, after deleting the rows it
replaces, in one transaction. Running it twice gives identical rows. The daily
tables are Django's own aggregate over the day's paid order lines (found by the
orders' `paid_at` index), so the local-time bucketing is the same on PostgreSQL
and SQLite; the monthly tables are the sums of their month's daily rows. A dirty
day therefore costs one day of orders and one month of summary rows, however
long the history. A rebuild bumps the report cache's version of the counties it
touched (reports.cache), once it commits."""

from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from fieldwork.models import IncomeSurvey
from fieldwork.services import surveys_refresh_platform_sales
from orders.models import DirtyDay, OrderLine
from orders.sales import (
    CLOSED_AFTER_PAYMENT,
    COMPLETED,
    PAID,
    UNIT,
    line_quantity,
    line_value,
)
from reports import cache
from reports.definitions import month_end
from reports.models import (
    FIGURES,
    DailyCategorySales,
    DailyFarmerSales,
    DailyProductSales,
    DailySales,
    MonthlyCategorySales,
    MonthlyFarmerSales,
    MonthlyProductSales,
    MonthlySales,
)


def _figures() -> dict:
    """Each figure over a line's value as a sale (orders.sales.line_value: a work
    unit's order counts once accepted, at what it accepted)."""

    def amount_when(condition: Q | None = None):
        return Sum(line_value(), filter=condition, default=0)

    unit = UNIT.condition("order__")
    return {
        "gmv": amount_when(),
        "completed": amount_when(COMPLETED.condition("order__")),
        "refunds": amount_when(Q(order__status__in=CLOSED_AFTER_PAYMENT)),
        "orders": Count("order", distinct=True),
        "units": Sum(line_quantity()),
        "buyers": Count("order__buyer", distinct=True),
        "unit_sales": amount_when(unit),
        "unit_orders": Count("order", distinct=True, filter=unit),
    }


def _paid_lines(start: datetime | None, end: datetime | None) -> QuerySet:
    """The lines of the orders paid in [start, end) that count as sales (a work
    unit's order once accepted: orders.sales.PAID)."""
    lines = OrderLine.objects.filter(
        PAID.condition("order__"), order__paid_at__isnull=False
    )
    if start is not None:
        lines = lines.filter(order__paid_at__gte=start)
    if end is not None:
        lines = lines.filter(order__paid_at__lt=end)
    return lines.order_by()


# Columns are annotated under this prefix (an order line has its own
# "product_id", a daily row its own "gmv"); _insert strips it to name them.
KEY = "key_"


def _grouped(rows: QuerySet, keys: dict, figures: dict) -> QuerySet:
    """`keys` (column → expression) as the GROUP BY, then `figures`."""
    aliased = {f"{KEY}{column}": expression for column, expression in keys.items()}
    return rows.annotate(**aliased).values(*aliased).annotate(**figures)


def _day():
    """The local day of the payment."""
    return TruncDate("order__paid_at", tzinfo=timezone.get_current_timezone())


def _daily(**keys):
    """The query filling a daily table: lines paid in [start, end) (datetimes,
    either None for open), grouped by their day, the county of the sale and
    `keys` (column → expression)."""

    def query(start: datetime | None, end: datetime | None) -> QuerySet:
        columns = {"day": _day(), "county_id": F("order__county_id"), **keys}
        return _grouped(_paid_lines(start, end), columns, _figures())

    return query


class Monthly:
    """How a monthly table is filled from a daily one: its rows of a month's days
    summed by month, county and `keys` (columns of both tables). The first key is
    never null and says which monthly rows a day's rows touch."""

    def __init__(self, daily_model, *keys: str):
        self.daily_model, self.keys = daily_model, keys

    def sums(self, first: date, last: date | None = None) -> QuerySet:
        """The rows of the days in [first, last] (`last` None: open) summed."""
        days = self.daily_model.objects.filter(day__gte=first).order_by()
        if last is not None:
            days = days.filter(day__lte=last)
        columns = {"month": TruncMonth("day"), "county_id": F("county_id")}
        columns |= {key: F(key) for key in self.keys}
        # Aliased: the daily rows have the same names as fields.
        figures = {f"{KEY}{name}": Sum(name) for name in FIGURES}
        return _grouped(days, columns, figures)

    def touched(self, model, day: date) -> QuerySet:
        """`model`'s rows of the day's month whose first key has a row that day."""
        touch = self.keys[0]
        on_the_day = self.daily_model.objects.filter(day=day).values(touch)
        return model.objects.filter(
            month=day.replace(day=1), **{f"{touch}__in": on_the_day}
        )

    def missing(self, model, day: date) -> QuerySet:
        """The sums for the keys of the day's month that have no row in `model`."""
        first, last = _month_of(day)
        touch = self.keys[0]
        kept = model.objects.filter(month=first).values(touch)
        return self.sums(first, last).exclude(**{f"{touch}__in": kept})


REBUILD_LOCK = 7_427_001  # any constant the platform uses for nothing else
# Each summary table and the query that fills it; the daily ones first.
DAILY = {
    DailySales: _daily(
        village_id=F("order__village_id"), assistant_id=F("order__assistant_id")
    ),
    DailyCategorySales: _daily(
        category_id=F("product__category_id"), village_id=F("order__village_id")
    ),
    DailyFarmerSales: _daily(
        village_id=F("order__village_id"), farmer_id=F("order__farmer_id")
    ),
    DailyProductSales: _daily(product_id=F("product_id")),
}
MONTHLY = {
    MonthlySales: Monthly(DailySales, "village_id", "assistant_id"),
    MonthlyCategorySales: Monthly(DailyCategorySales, "category_id", "village_id"),
    MonthlyFarmerSales: Monthly(DailyFarmerSales, "farmer_id", "village_id"),
    MonthlyProductSales: Monthly(DailyProductSales, "product_id"),
}


def _insert(model, query: QuerySet) -> None:
    """INSERT INTO the model's table the rows `query` selects, by column name (its
    annotations' names without the KEY prefix)."""
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


def _counties_of(day: date) -> set[int]:
    """The counties with a daily row on `day`, read from the primary (this
    transaction's own rows)."""
    rows = DailySales.objects.using("default").filter(day=day).order_by()
    return set(rows.values_list("county_id", flat=True).distinct())


def _serialise_rebuilds() -> None:
    """One rebuild at a time (PostgreSQL advisory lock, held to the transaction's
    end): two rebuilds of one month would each keep the other's rows. SQLite
    has one writer anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REBUILD_LOCK])


@transaction.atomic
def rebuild_day(day: date) -> None:
    """Replace one day's daily rows, and the monthly rows they touch: those of
    the keys the day had before (deleted first) and has now (deleted next); the
    sums are then inserted for every key of the month left without a row. So the
    month's other rows stay: it reads a month of daily rows and writes a day's."""
    _serialise_rebuilds()
    DirtyDay.objects.filter(day=day).delete()
    counties = _counties_of(day)  # those that had sales that day
    for model, monthly in MONTHLY.items():
        monthly.touched(model, day).delete()
    start, end = _bounds(day, day)
    for model, query in DAILY.items():
        model.objects.filter(day=day).delete()
        _insert(model, query(start, end))
    cache.rollups_rebuilt(counties | _counties_of(day))
    for model, monthly in MONTHLY.items():
        monthly.touched(model, day).delete()
        _insert(model, monthly.missing(model, day))
    # The income surveys' platform sales follow the day's orders.
    farmers = DailyFarmerSales.objects.filter(day=day).values("farmer_id")
    surveys_refresh_platform_sales(year=day.year, farmers=farmers)


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
    month = since.replace(day=1) if since else date.min
    start = _bounds(month, month)[0] if since else None
    DirtyDay.objects.filter(day__gte=month).delete()
    for model, query in DAILY.items():
        model.objects.filter(day__gte=month).delete()
        _insert(model, query(start, None))
    for model, monthly in MONTHLY.items():
        model.objects.filter(month__gte=month).delete()
        _insert(model, monthly.sums(month))
    cache.rollups_rebuilt()
    years = IncomeSurvey.objects.filter(year__gte=month.year).values_list("year")
    for year in years.distinct().order_by("year"):
        surveys_refresh_platform_sales(year=year[0])
