"""The work units' reports, over their monthly purchases only
(procurement.models.MonthlyUnitPurchases: goods accepted, at what was accepted,
and apart from them their staff's own completed purchases):
a unit's year (by month, county of origin and category) against its reserved
share, for its admins, officials of its region and staff; and, for a county's
officials, which units buy from it and how much."""

from datetime import date

from django import forms
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import Category
from common.years import FIRST_YEAR
from counties.models import County
from orders.sales import UNIT
from procurement.models import Channel, MonthlyUnitPurchases, WorkUnit
from procurement.selectors import purchases_of, quota_progress
from reports.definitions import (
    COUNT,
    FLAG,
    NAME,
    PERCENT,
    YUAN,
    Column,
    Figure,
    ReportResult,
    Table,
    money,
    names_of,
)
from reports.income import CountyFilters

AMOUNT = Column("amount", UNIT.label, YUAN)
STAFF_LABEL = gettext_lazy("Its staff's own purchases (completed orders)")
STAFF = Column("staff_amount", STAFF_LABEL, YUAN)
BOTH = Column(
    "amount",
    gettext_lazy("Bought: the unit's accepted goods and its staff's own"),
    YUAN,
)
LINES = Column("lines", gettext_lazy("Order lines"), COUNT)
ON_STAFF = Q(channel=Channel.STAFF)
ON_UNIT = Q(channel=Channel.UNIT)
NO_PURCHASES = gettext_lazy("No goods accepted in this year.")
# These reports' own basis: the month of the acceptance (the county sales report
# counts the same goods by the day they were paid: orders.sales.UNIT).
COUNTS = gettext_lazy(
    "Work units' purchases: the goods a unit accepted, each line's accepted "
    "quantity at its price, in the month it accepted them; goods it refused never "
    "count (the 832 rule)."
)


STAFF_COUNTS = gettext_lazy(
    "Staff's own purchases: the orders the unit's staff paid for themselves after "
    "opening the unit's staff link, completed (receipt confirmed), at their lines' "
    "totals, in the month they completed; kept apart from the unit's own orders."
)


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(
            label=gettext_lazy("Year"),
            min_value=FIRST_YEAR,
            required=False,
            help_text=gettext_lazy("Empty: this year."),
            **kwargs,
        )

    def clean(self, value):
        year = super().clean(value) or timezone.localdate().year
        if year > timezone.localdate().year:
            raise forms.ValidationError(gettext_lazy("The year is in the future."))
        return year


class UnitFilters(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("Work unit"))
    year = YearField()

    def __init__(self, data=None, *, units: QuerySet[WorkUnit]):
        data = data.copy() if data is not None else {}
        if len(choices := [(str(u.pk), u.shown) for u in units.order_by("name")]) == 1:
            data.setdefault("unit", choices[0][0])
        super().__init__(data)
        self.units = units
        self.fields["unit"].choices = choices

    def chosen_unit(self) -> WorkUnit:
        return self.units.get(pk=self.cleaned_data["unit"])


def _grouped(rows: QuerySet, key: str) -> list[dict]:
    """Rows summed by `key`: `total` both channels, `own` (the unit's orders)
    and `staff` each."""
    return list(
        rows.values(key)
        .annotate(
            total=Sum("amount"),
            own=Sum("amount", filter=ON_UNIT),
            staff=Sum("amount", filter=ON_STAFF),
            lines=Sum("lines"),
        )
        .order_by("-total", key)
    )


def _totals(rows: QuerySet) -> dict:
    return rows.aggregate(
        own=Sum("amount", filter=ON_UNIT),
        staff=Sum("amount", filter=ON_STAFF),
        lines=Sum("lines"),
    )


def unit_purchases(filters: UnitFilters) -> ReportResult:
    unit, year = filters.chosen_unit(), filters.cleaned_data["year"]
    quota = quota_progress(unit, year)
    rows = purchases_of(unit, year)
    totals = _totals(rows)
    by_month = {row["month"]: row for row in _grouped(rows, "month")}
    counties = _grouped(rows, "county")
    county_of = County.objects.in_bulk([row["county"] for row in counties])
    categories = _grouped(rows, "category")
    category_names = names_of(Category, [row["category"] for row in categories])
    months = [date(year, month, 1) for month in range(1, 13)]
    return ReportResult(
        title=_("A work unit's purchases"),
        period=f"{unit.shown} · {year}",
        figures=[
            Figure("accepted", UNIT.label, money(totals["own"])),
            Figure("staff", STAFF_LABEL, money(totals["staff"])),
            Figure("lines", _("Order lines"), totals["lines"] or 0, COUNT),
            Figure("budget", _("Farm-produce budget"), quota.budget),
            Figure(
                "share",
                _("Share reserved for poverty counties"),
                _percent(quota.share),
                PERCENT,
            ),
            Figure(
                "reserved",
                _("To buy from poverty counties (budget × share)"),
                quota.reserved,
            ),
            Figure(
                "bought",
                _(
                    "Bought from key poverty counties (the unit's accepted goods "
                    "and its staff's own)"
                ),
                quota.bought,
            ),
            Figure("remaining", _("Still to buy"), quota.remaining),
            Figure(
                "progress",
                _("Share of the reserved amount bought"),
                quota.percent,
                PERCENT,
            ),
        ],
        tables=[
            Table(
                "by_month",
                _("By month"),
                [Column("month", _("Month")), AMOUNT, STAFF, LINES],
                [
                    {
                        "month": f"{month:%Y-%m}",
                        "amount": money(by_month.get(month, {}).get("own")),
                        "staff_amount": money(by_month.get(month, {}).get("staff")),
                        "lines": by_month.get(month, {}).get("lines") or 0,
                    }
                    for month in months
                ],
                NO_PURCHASES,
            ),
            Table(
                "by_county",
                _("By county of origin"),
                [
                    NAME,
                    Column("poverty_county", _("Key poverty county"), FLAG),
                    BOTH,
                    LINES,
                ],
                [
                    {
                        "name": county_of[row["county"]].label,
                        "poverty_county": county_of[
                            row["county"]
                        ].is_key_poverty_county,
                        "amount": money(row["total"]),
                        "lines": row["lines"],
                    }
                    for row in counties
                ],
                NO_PURCHASES,
            ),
            Table(
                "by_category",
                _("By category"),
                [NAME, BOTH, LINES],
                [
                    {
                        "name": category_names.get(row["category"], "—"),
                        "amount": money(row["total"]),
                        "lines": row["lines"],
                    }
                    for row in categories
                ],
                NO_PURCHASES,
            ),
        ],
        notes=[
            str(COUNTS),
            str(STAFF_COUNTS),
            _(
                "The reserved share is the province's for the year, else the "
                "national one; what is bought toward it is the goods from key "
                "poverty counties, the unit's and its staff's."
            ),
        ],
    )


def _percent(share):
    return share * 100 if share is not None else None


class CountyUnitsFilters(CountyFilters):
    year = YearField()


def county_unit_purchases(filters: CountyUnitsFilters) -> ReportResult:
    county, year = filters.chosen_county(), filters.cleaned_data["year"]
    rows = MonthlyUnitPurchases.objects.filter(
        county=county, month__gte=date(year, 1, 1), month__lte=date(year, 12, 1)
    )
    totals = _totals(rows)
    units = _grouped(rows, "unit")
    unit_of = WorkUnit.objects.select_related("county").in_bulk(
        [row["unit"] for row in units]
    )
    return ReportResult(
        title=_("Work units buying from the county"),
        period=f"{county.label} · {year}",
        figures=[
            Figure("accepted", UNIT.label, money(totals["own"])),
            Figure("staff", STAFF_LABEL, money(totals["staff"])),
            Figure("units", _("Work units buying"), len(units), COUNT),
            Figure("lines", _("Order lines"), totals["lines"] or 0, COUNT),
        ],
        tables=[
            Table(
                "by_unit",
                _("By work unit"),
                [
                    NAME,
                    Column("region", _("Its region")),
                    Column("kind", _("Type")),
                    AMOUNT,
                    STAFF,
                    LINES,
                ],
                [
                    {
                        "name": unit_of[row["unit"]].shown,
                        "region": unit_of[row["unit"]].county.label,
                        "kind": unit_of[row["unit"]].get_kind_display(),
                        "amount": money(row["own"]),
                        "staff_amount": money(row["staff"]),
                        "lines": row["lines"],
                    }
                    for row in units
                ],
                NO_PURCHASES,
            )
        ],
        notes=[str(COUNTS), str(STAFF_COUNTS)],
    )
