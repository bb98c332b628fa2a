"""What a report is: one definition (its filter form and its query) producing a
ReportResult of summary figures, tables with typed columns, monthly series and
notes. The HTML page, the API (and the exports) all render from a ReportResult,
so a figure cannot differ between them."""

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from common.money import TENTH, decimal, round_half_up, to_fen
from orders.sales import COMPLETED, NET, PAID, UNIT

# The kinds of a column: an amount of yuan, a count, text, a percentage, a flag.
YUAN, COUNT, TEXT, PERCENT, FLAG = "money", "count", "text", "percent", "flag"


# The arithmetic every report shares.
def money(value) -> Decimal:
    """A sum to the fen, half up (SQLite returns sums of decimals without their
    places)."""
    return to_fen(value)


def ratio(part, whole, scale=1) -> Decimal:
    """part / whole × scale to the fen, half up; 0 when there is nothing to divide
    by."""
    if not whole:
        return Decimal("0")
    return round_half_up(decimal(part) * scale / decimal(whole))


def growth(now: Decimal, before: Decimal) -> Decimal | None:
    """Per cent change, to a tenth; None when there is nothing to compare with."""
    if not before:
        return None
    change = (decimal(now) - decimal(before)) * 100 / decimal(before)
    return round_half_up(change, TENTH)


def names_of(model, ids, name=str, related=()) -> dict:
    """id → `name(thing)` for the things of `model` with these ids, in one query
    (with `related`): breakdowns group summary rows by id alone, then name the
    rows they show."""
    things = model.objects.select_related(*related).in_bulk(
        [pk for pk in ids if pk is not None]
    )
    return {pk: name(thing) for pk, thing in things.items()}


def month_end(month: date) -> date:
    """The last day of `month`'s month."""
    return (month.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(
        days=1
    )


@dataclass
class Column:
    key: str
    label: str
    kind: str = TEXT


@dataclass
class Table:
    """Rows under typed columns; `empty` is what the page says when there are
    none (what the table lists: sales, households, farmers...)."""

    key: str
    title: str
    columns: list[Column]
    rows: list[dict]
    empty: str = _("No sales in this period.")

    @cached_property
    def peak(self):
        """The largest GMV in the table: breakdowns draw each row's bar against it."""
        return max((row["gmv"] for row in self.rows if row.get("gmv")), default=0)


@dataclass
class Figure:
    key: str
    label: str
    value: object
    kind: str = YUAN


@dataclass
class Series:
    """A monthly series and the same months a year earlier."""

    key: str
    title: str
    months: list[date]
    values: list[Decimal]
    previous: list[Decimal]


@dataclass
class ReportResult:
    title: str
    period: str
    figures: list[Figure]
    tables: list[Table] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_data(self) -> dict:
        """Plain data for the API (labels as text in the request's language)."""

        def plain(value):
            if isinstance(value, dict):
                return {key: plain(item) for key, item in value.items()}
            if isinstance(value, list):
                return [plain(item) for item in value]
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, Decimal):
                return str(value)
            if value is None or isinstance(value, bool | int | float | str):
                return value
            return str(value)  # lazy translations

        return plain(asdict(self))


NAME = Column("name", _("Name"))
SALES_COLUMNS = [
    Column("gmv", PAID.label, YUAN),
    Column("completed", COMPLETED.label, YUAN),
    Column("orders", _("Orders"), COUNT),
    Column("units", _("Units"), COUNT),
    Column("net", NET.label, YUAN),  # added later: keys only ever get added to
    Column("unit_sales", UNIT.label, YUAN),
]
