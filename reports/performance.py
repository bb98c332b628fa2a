"""Assistant performance: for the viewer's counties and a period, each assistant's
farmers' sales (from the daily rollup, against the period of the same length just
before), training hours given, visits made, and the share of their farmers with a
sale in the last 30 days. One query over the summary tables: correlated
subqueries per assistant."""

from datetime import timedelta

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assistants.models import Assistant
from assistants.selectors import assigned_farmers
from common.money import TOTAL_FIELD
from fieldwork.models import TrainingSession, Visit
from orders.sales import NET, PAID
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
    ratio,
)
from reports.models import DailyFarmerSales, DailySales
from reports.sales import SalesFilters


def _total(queryset: QuerySet, group: str, field: str | None, output) -> Coalesce:
    """One number per assistant from `queryset` (correlated on `group`): the sum of
    `field`, or the row count when `field` is None."""
    aggregate = Sum(field) if field else Count("pk")
    return Coalesce(
        Subquery(
            queryset.order_by().values(group).annotate(n=aggregate).values("n"),
            output_field=output,
        ),
        Value(0, output_field=output),
    )


def assistant_performance(filters: SalesFilters) -> ReportResult:
    data = filters.cleaned_data
    start = data["start"]
    last_day = month_end(data["end"])
    before = start - (last_day - start + timedelta(days=1))
    daily = DailySales.objects.filter(assistant=OuterRef("pk"))
    farmers = assigned_farmers(OuterRef("pk"))
    # A net sale in the period: paid then and not all cancelled or refunded since.
    sold_in_period = Exists(
        DailyFarmerSales.objects.filter(
            farmer=OuterRef("pk"),
            day__gte=start,
            day__lte=last_day,
            gmv__gt=F("refunds"),
        )
    )
    number = IntegerField()
    assistants = (
        Assistant.objects.filter(county__in=filters.chosen_counties())
        .select_related("user")
        .annotate(
            sales=_total(
                daily.filter(day__gte=start, day__lte=last_day),
                "assistant",
                "gmv",
                TOTAL_FIELD,
            ),
            sales_before=_total(
                daily.filter(day__gte=before, day__lt=start),
                "assistant",
                "gmv",
                TOTAL_FIELD,
            ),
            hours=_total(
                TrainingSession.objects.filter(
                    assistant=OuterRef("pk"), held_on__gte=start, held_on__lte=last_day
                ),
                "assistant",
                "hours",
                TOTAL_FIELD,
            ),
            visits_made=_total(
                Visit.objects.filter(
                    assistant=OuterRef("pk"),
                    visited_on__gte=start,
                    visited_on__lte=last_day,
                ),
                "assistant",
                None,
                number,
            ),
            farmers_count=_total(farmers, "assignments__assistant", None, number),
            selling=_total(
                farmers.filter(sold_in_period), "assignments__assistant", None, number
            ),
        )
        .order_by("-sales", "user__username")
    )
    rows = [
        {
            "name": str(assistant),
            "sales": money(assistant.sales),
            "growth": growth(money(assistant.sales), money(assistant.sales_before)),
            "training_hours": assistant.hours,
            "visits": assistant.visits_made,
            "farmers": assistant.farmers_count,
            "selling_share": (
                ratio(assistant.selling, assistant.farmers_count, 100)
                if assistant.farmers_count
                else None
            ),
        }
        for assistant in assistants
    ]
    return ReportResult(
        title=_("Assistant performance"),
        period=f"{start:%Y-%m} – {data['end']:%Y-%m}",
        figures=[Figure("assistants", _("Assistants"), len(rows), COUNT)],
        tables=[
            Table(
                "assistants",
                _("Assistants"),
                [
                    NAME,
                    Column(
                        "sales",
                        gettext_lazy("Farmers' GMV (paid, incl. later refunds)"),
                        YUAN,
                    ),
                    Column(
                        "growth", gettext_lazy("Growth on the period before"), PERCENT
                    ),
                    Column(
                        "training_hours", gettext_lazy("Training hours given"), COUNT
                    ),
                    Column("visits", gettext_lazy("Visits made"), COUNT),
                    Column("farmers", gettext_lazy("Farmers assigned now"), COUNT),
                    Column(
                        "selling_share",
                        gettext_lazy("Share of them with net sales in the period"),
                        PERCENT,
                    ),
                ],
                rows,
                empty=_("No assistant works in these counties."),
            )
        ],
        notes=[
            _(
                "Growth compares the period with the same number of days just before "
                "it. The share selling counts the farmers assigned now with net sales "
                "(paid in the period, not all cancelled or refunded since)."
            ),
            str(PAID.counts),
            str(NET.counts),
        ],
    )
