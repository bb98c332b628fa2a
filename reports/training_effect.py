"""Training effect: for the farmers of the viewer's counties whose first training
falls in the period, their sales in the 90 days after it against the 90 days
before. One query over the daily farmer rollup."""

from datetime import timedelta

from django.db.models import (
    DateField,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.money import TOTAL_FIELD
from farmers.models import Farmer
from fieldwork.models import Attendance
from orders.sales import NET
from reports.definitions import (
    COUNT,
    NAME,
    PERCENT,
    YUAN,
    Column,
    Figure,
    ReportResult,
    Table,
    growth,
    money,
    month_end,
)
from reports.models import DailyFarmerSales
from reports.sales import SalesFilters

WINDOW = timedelta(days=90)
LISTED = 200


def _window_sales(first_day, last_day) -> Coalesce:
    """A farmer's sales (paid, less what was cancelled or refunded since) from
    first_day to before last_day, from the daily farmer rollup."""
    return Coalesce(
        Subquery(
            DailyFarmerSales.objects.filter(
                farmer=OuterRef("pk"), day__gte=first_day, day__lt=last_day
            )
            .order_by()
            .values("farmer")
            .annotate(total=Sum(F("gmv") - F("refunds")))
            .values("total"),
            output_field=TOTAL_FIELD,
        ),
        Value(0, output_field=TOTAL_FIELD),
    )


def training_effect(filters: SalesFilters) -> ReportResult:
    data = filters.cleaned_data
    start = data["start"]
    last_day = month_end(data["end"])
    first = OuterRef("first_training")

    def shifted(days: int):
        return ExpressionWrapper(first + timedelta(days=days), output_field=DateField())

    farmers = (
        Farmer.objects.filter(household__village__county__in=filters.chosen_counties())
        .annotate(
            first_training=Subquery(
                Attendance.objects.filter(farmer=OuterRef("pk"))
                .order_by()
                .values("farmer")
                .annotate(first=Min("session__held_on"))
                .values("first"),
                output_field=DateField(),
            )
        )
        .filter(first_training__gte=start, first_training__lte=last_day)
    )
    farmers = farmers.annotate(
        before=_window_sales(shifted(-WINDOW.days), first),
        after=_window_sales(first, shifted(WINDOW.days)),
    )
    totals = farmers.aggregate(before_total=Sum("before"), after_total=Sum("after"))
    count = farmers.count()
    rows = [
        {
            "name": farmer.shop_name,
            "first_training": farmer.first_training,
            "before": money(farmer.before),
            "after": money(farmer.after),
            "growth": growth(money(farmer.after), money(farmer.before)),
        }
        for farmer in farmers.order_by("-after", "pk")[:LISTED]
    ]
    before, after = money(totals["before_total"]), money(totals["after_total"])
    return ReportResult(
        title=_("Training effect"),
        period=f"{start:%Y-%m} – {data['end']:%Y-%m}",
        figures=[
            Figure("farmers", _("Farmers first trained in the period"), count, COUNT),
            Figure("before", _("Net sales in the 90 days before"), before),
            Figure("after", _("Net sales in the 90 days after"), after),
            Figure("growth", _("Change"), growth(after, before), PERCENT),
        ],
        tables=[
            Table(
                "farmers",
                _("Farmers"),
                [
                    NAME,
                    Column("first_training", gettext_lazy("First training")),
                    Column("before", gettext_lazy("Net sales, 90 days before"), YUAN),
                    Column("after", gettext_lazy("Net sales, 90 days after"), YUAN),
                    Column("growth", gettext_lazy("Change"), PERCENT),
                ],
                rows,
                empty=gettext_lazy("No farmer was first trained in this period."),
            )
        ],
        notes=[
            str(NET.counts),
            _("Each window is 90 days; the day of the first training counts as after."),
        ],
    )
