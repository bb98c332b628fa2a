"""The household file's work record: surveys over the years (with a small chart
against the poverty line), visits, its farmers' training, their platform sales by
year and the audit trail of what was done for and about them, all read through the
user's scope."""

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from assistants.models import TrainingSession
from assistants.selectors import surveys_visible_to, visits_visible_to
from assistants.surveys import poverty_status
from audit.selectors import events_about_household
from farmers.models import Household
from orders.models import Order
from orders.sales import COMPLETED

RECENT = 20


def household_file(user, household: Household) -> dict:
    surveys = list(
        surveys_visible_to(user)
        .filter(household=household)
        .select_related("household__village__county")
        .order_by("year")
    )
    chart = [(survey, poverty_status(survey)) for survey in surveys]
    tallest = max(
        [status.per_capita for _, status in chart]
        + [status.line.amount for _, status in chart if status.line],
        default=0,
    )
    return {
        "surveys": [
            {
                "survey": survey,
                "status": status,
                "bar": _percent(status.per_capita, tallest),
                "line_at": _percent(status.line.amount, tallest)
                if status.line
                else None,
            }
            for survey, status in chart
        ],
        "visits": visits_visible_to(user).filter(household=household)[:RECENT],
        "training": TrainingSession.objects.filter(
            attendance__farmer__household=household
        )
        .select_related("assistant__user")
        .distinct()[:RECENT],
        # The surveys' definition: completed sales, by the year they were paid.
        "sales_by_year": Order.objects.filter(
            COMPLETED.condition(), farmer__household=household, paid_at__isnull=False
        )
        .annotate(year=ExtractYear("paid_at"))
        .values("year")
        .annotate(total=Sum("total"), orders=Count("pk"))
        .order_by("year"),
        "audit_events": events_about_household(user, household)[:RECENT],
    }


def _percent(value, tallest) -> int:
    if not tallest or value <= 0:
        return 0
    return int(value * 100 / tallest)
