"""The county sales report: its filters and its query, over the summary tables
only (reports.models), so its cost does not grow with the number of orders."""

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.money import TENTH, round_half_up
from common.years import FIRST_YEAR
from counties.models import County, Village, in_language
from farmers.models import Household
from orders.sales import COMPLETED, NET, PAID, UNIT
from reports.definitions import (
    COUNT,
    FLAG,
    NAME,
    PERCENT,
    SALES_COLUMNS,
    YUAN,
    Column,
    Figure,
    ReportResult,
    Series,
    Table,
    growth,
    money,
    names_of,
    ratio,
)
from reports.models import (
    MonthlyCategorySales,
    MonthlyFarmerSales,
    MonthlyProductSales,
    MonthlySales,
)

MAX_MONTHS = 120
TOP = 10
# docs/DOMAIN.md: an e-commerce ("Taobao") village sells at least ¥10 million
# a year online, with at least 100 active shops or 10% of households selling.
VILLAGE_SALES = Decimal("10000000")
VILLAGE_SHOPS = 100
VILLAGE_HOUSEHOLD_SHARE = Decimal("0.10")
MONTH_FORMAT = "%Y-%m"


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (an <input type="month">), as its first day, from
    FIRST_YEAR to next year."""

    widget = forms.DateInput(attrs={"type": "month"}, format=MONTH_FORMAT)
    input_formats = [MONTH_FORMAT]

    def validate(self, value):
        super().validate(value)
        last = timezone.localdate().year + 1
        if value and not FIRST_YEAR <= value.year <= last:
            raise forms.ValidationError(
                _("Choose a month from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": last},
                code="range",
            )


class SalesFilters(forms.Form):
    county = forms.ChoiceField(label=_("County"), required=False)
    village = forms.ModelChoiceField(
        label=_("Village"),
        queryset=Village.objects.none(),
        required=False,
        empty_label=_("All villages"),
    )
    start = MonthField(label=_("From (month)"))
    end = MonthField(label=_("To (month)"))

    def __init__(self, data=None, *, counties: QuerySet[County]):
        this_year = timezone.localdate().year
        data = data.copy() if data is not None else {}
        data.setdefault("start", f"{this_year}-01")
        data.setdefault("end", timezone.localdate().strftime(MONTH_FORMAT))
        super().__init__(data)
        self.counties = counties
        self.fields["county"].choices = [("", _("All my counties"))] + [
            (county.code, county.label) for county in counties
        ]
        self.fields["village"].queryset = Village.objects.filter(
            county__in=counties
        ).select_related("county")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The period ends before it starts."))
            elif (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
                self.add_error("end", _("A period is at most ten years."))
        village, code = data.get("village"), data.get("county")
        if village and code and village.county.code != code:
            self.add_error("village", _("This village is not in that county."))
        return data

    def chosen_counties(self) -> QuerySet[County]:
        code = self.cleaned_data.get("county")
        return self.counties.filter(code=code) if code else self.counties


def _months(start: date, end: date) -> list[date]:
    months, month = [], start
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _year_before(day: date) -> date:
    return day.replace(year=day.year - 1, day=1)


def _totals():
    return {
        "gmv": Sum("gmv"),
        "refunds": Sum("refunds"),
        "completed": Sum("completed"),
        "orders": Sum("orders"),
        "units": Sum("units"),
        "unit_sales": Sum("unit_sales"),
        "unit_orders": Sum("unit_orders"),
    }


def _rows(
    queryset, key: str, name=str, related=(), limit=None, missing="—"
) -> list[dict]:
    """One row per thing of `key` ("village"): grouped by its id alone, so two
    villages of one name stay two rows; the things are then read for the rows
    shown (one query, with `related`), not joined to every summary row, and each
    is named by `name(thing)` (`missing` for rows without one, such as sales of
    farmers with no assistant)."""
    rows = queryset.values(key).annotate(**_totals()).order_by("-gmv", key)
    rows = list(rows[:limit] if limit else rows)
    model = queryset.model._meta.get_field(key).related_model
    names = names_of(model, [row[key] for row in rows], name=name, related=related)
    return [
        {
            "name": names.get(row[key], missing),
            "gmv": money(row["gmv"]),
            "net": money(row["gmv"]) - money(row["refunds"]),
            "completed": money(row["completed"]),
            "orders": row["orders"],
            "units": row["units"],
            "unit_sales": money(row["unit_sales"]),
        }
        for row in rows
    ]


def _product_name(product) -> str:
    """A product with its shop: two shops' products of one title stay apart."""
    return _("%(title)s (%(shop)s)") % {
        "title": product.title,
        "shop": product.farmer.shop_name,
    }


def county_sales(filters: SalesFilters) -> ReportResult:
    data = filters.cleaned_data
    counties = filters.chosen_counties()
    start, end = data["start"], data["end"]
    village = data.get("village")
    place = Q(county__in=counties) & (Q(village=village) if village else Q())
    months = Q(month__gte=start, month__lte=end)

    sales = MonthlySales.objects.filter(place, months)
    monthly = MonthlyFarmerSales.objects.filter(place, months)
    # The yardstick is a year's sales: judged only over one calendar year.
    one_year = start.month == 1 and end.month == 12 and start.year == end.year
    categories = MonthlyCategorySales.objects.filter(place, months)
    products = MonthlyProductSales.objects.filter(months, county__in=counties)
    if village:  # the product rollup has no village: the farmer's village
        products = products.filter(product__farmer__household__village=village)

    totals = sales.aggregate(**_totals())
    orders = totals["orders"] or 0
    gmv = money(totals["gmv"])
    unit_sales = money(totals["unit_sales"])
    assistants = (
        sales.filter(assistant__isnull=False).values("assistant").distinct().count()
    )
    storefronts = monthly.values("farmer").distinct().count()

    series = _monthly_series(place, start, end)
    villages = _villages(monthly, one_year)
    return ReportResult(
        title=str(_("County sales")),
        period=f"{start:%Y-%m} – {end:%Y-%m}",
        figures=[
            Figure("gmv", PAID.label, gmv),
            Figure("net", NET.label, gmv - money(totals["refunds"])),
            Figure("completed", COMPLETED.label, money(totals["completed"])),
            Figure(
                "refunds",
                _("Refunded or cancelled after payment"),
                money(totals["refunds"]),
            ),
            Figure(
                "retail",
                _("Retail sales (GMV less work units' purchases)"),
                gmv - unit_sales,
            ),
            Figure("unit_sales", UNIT.label, unit_sales),
            Figure("orders", _("Orders"), orders, COUNT),
            Figure(
                "unit_orders",
                _("Work units' accepted orders"),
                totals["unit_orders"] or 0,
                COUNT,
            ),
            Figure("storefronts", _("Active storefronts"), storefronts, COUNT),
            Figure("assistants", _("Active assistants"), assistants, COUNT),
            Figure(
                "average_order",
                _("Average order value (GMV ÷ orders)"),
                ratio(gmv, orders),
            ),
        ],
        series=[series],
        tables=[
            Table(
                "by_month",
                _("By month"),
                [Column("month", _("Month"))]
                + [
                    Column("gmv", PAID.label, YUAN),
                    Column("previous", _("A year earlier"), YUAN),
                    Column("growth", _("Year on year"), PERCENT),
                ],
                _series_rows(series),
            ),
            Table(
                "by_county",
                _("By county"),
                [NAME, *SALES_COLUMNS],
                _rows(sales, "county", name=lambda county: county.label),
            ),
            Table(
                "by_category",
                _("By category"),
                [NAME, *SALES_COLUMNS],
                _rows(categories, "category"),
            ),
            Table(
                "by_village",
                _("By village"),
                [NAME, *SALES_COLUMNS],
                _rows(sales, "village", name=lambda village: village.label),
            ),
            Table(
                "by_assistant",
                _("By assistant"),
                [NAME, *SALES_COLUMNS],
                _rows(sales, "assistant", related=["user"], missing=_("No assistant")),
            ),
            Table(
                "top_farmers",
                _("Top 10 farmers"),
                [NAME, *SALES_COLUMNS],
                _rows(
                    monthly, "farmer", name=lambda farmer: farmer.shop_name, limit=TOP
                ),
            ),
            Table(
                "top_products",
                _("Top 10 products"),
                [NAME, *SALES_COLUMNS],
                _rows(
                    products,
                    "product",
                    name=_product_name,
                    related=["farmer"],
                    limit=TOP,
                ),
            ),
            Table(
                "ecommerce_villages",
                _("E-commerce villages"),
                [
                    NAME,
                    Column("gmv", PAID.label, YUAN),
                    Column("shops", _("Active shops"), COUNT),
                    Column("selling_share", _("Households selling"), PERCENT),
                    Column("meets", _("Meets the yardstick"), FLAG),
                ],
                villages,
            ),
        ],
        notes=[
            *(str(definition.counts) for definition in (PAID, NET, COMPLETED, UNIT)),
            str(
                _(
                    "E-commerce village: at least ¥10 million of sales a year and "
                    "either 100 active shops or a tenth of households selling; judged "
                    "only when the period is one calendar year."
                )
            ),
        ],
    )


def _monthly_series(place: Q, start: date, end: date) -> Series:
    def by_month(first: date, last: date) -> dict:
        rows = (
            MonthlySales.objects.filter(place, month__gte=first, month__lte=last)
            .values("month")
            .annotate(gmv=Sum("gmv"))
            .order_by("month")
        )
        return {row["month"]: money(row["gmv"]) for row in rows}

    months = _months(start, end)
    now = by_month(start, end)
    before = by_month(_year_before(start), _year_before(end))
    return Series(
        key="gmv_by_month",
        title=str(_("Sales by month, and a year earlier")),
        months=months,
        values=[now.get(month, money(0)) for month in months],
        previous=[before.get(_year_before(month), money(0)) for month in months],
    )


def _series_rows(series: Series) -> list[dict]:
    rows = []
    for month, value, previous in zip(
        series.months, series.values, series.previous, strict=True
    ):
        rows.append(
            {
                "month": f"{month:%Y-%m}",
                "gmv": value,
                "previous": previous,
                "growth": growth(value, previous),
            }
        )
    return rows


def _villages(monthly: QuerySet, one_year: bool) -> list[dict]:
    rows = (
        monthly.values("village", "village__name", "village__name_en")
        .annotate(
            gmv=Sum("gmv"),
            shops=Count("farmer", distinct=True),
            selling=Count("farmer__household", distinct=True),
        )
        .order_by("-gmv", "village__name")[: TOP * 2]
    )
    rows = list(rows)
    households = dict(
        Household.objects.filter(village__in=[row["village"] for row in rows])
        .values("village")
        .annotate(n=Count("pk"))
        .values_list("village", "n")
    )
    result = []
    for row in rows:
        total = households.get(row["village"]) or 0
        share = Decimal(row["selling"]) / total if total else Decimal("0")
        result.append(
            {
                "name": in_language(row["village__name"], row["village__name_en"]),
                "gmv": money(row["gmv"]),
                "shops": row["shops"],
                "selling_share": round_half_up(share * 100, TENTH),
                "meets": (
                    row["gmv"] >= VILLAGE_SALES
                    and (
                        row["shops"] >= VILLAGE_SHOPS
                        or share >= VILLAGE_HOUSEHOLD_SHARE
                    )
                )
                if one_year
                else None,
            }
        )
    return result
