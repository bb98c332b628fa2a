"""Reads about field work, scoped to the user asking: training sessions (and their
totals), visits and income surveys; a survey's platform sales and its place
against the poverty line; the assistant's dashboard (each farmer's figures and
the reasons they need help, annotated by the database in one query however many
farmers there are); and the household file's work record."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import ExtractYear
from django.utils import timezone

from accounts.selectors import scoped
from assistants.selectors import households_visible_to
from audit.selectors import events_about_household
from common.money import to_fen
from counties.selectors import PovertyLineInForce, PovertyLineNotSet, poverty_line_for
from farmers.models import Household
from fieldwork.models import (
    Attendance,
    IncomeSurvey,
    TrainingSession,
    Visit,
    is_under_line,
)
from orders.models import Order
from orders.sales import COMPLETED, order_value

SALES_WINDOW = timedelta(days=30)
ZERO = Value(0)
RECENT = 20  # rows of each list in the household file


# --- Scope -------------------------------------------------------------------


def training_visible_to(user) -> QuerySet[TrainingSession]:
    """Assistants: their own sessions; officials: those of their counties'
    assistants; staff: all."""
    return scoped(
        TrainingSession.objects.select_related("assistant__user"),
        user,
        official=lambda u: Q(assistant__county__officials=u),
        assistant=lambda u: Q(assistant__user=u),
    )


def surveys_visible_to(user) -> QuerySet[IncomeSurvey]:
    """Surveys of the households `user` may see (assistants.selectors)."""
    return IncomeSurvey.objects.filter(
        household__in=households_visible_to(user).values("pk")
    )


def visits_visible_to(user) -> QuerySet[Visit]:
    return Visit.objects.select_related("assistant__user").filter(
        household__in=households_visible_to(user).values("pk")
    )


# --- Training ----------------------------------------------------------------


def training_listed(user) -> QuerySet[TrainingSession]:
    """The user's sessions for the list, newest first, each with the number of
    farmers who `attended`."""
    return (
        training_visible_to(user)
        .annotate(attended=Count("attendance"))
        .order_by("-held_on", "-pk")
    )


def training_totals(user) -> dict:
    """Over the user's sessions: how many (`count`), their `hours`, and how many
    farmers were `trained` (each once)."""
    sessions = training_visible_to(user)
    totals = sessions.aggregate(hours=Sum("hours"), count=Count("pk"))
    totals["trained"] = (
        Attendance.objects.filter(session__in=sessions)
        .values("farmer")
        .distinct()
        .count()
    )
    return totals


# --- Surveys -----------------------------------------------------------------


@dataclass(frozen=True)
class PlatformSales:
    """A household's completed platform sales in a year, and where they came from."""

    total: Decimal
    orders: int


def completed_sales(year: int) -> QuerySet[Order]:
    """The orders a survey of `year` counts as platform income: completed sales
    (orders.sales.COMPLETED) paid within `year`, local time."""
    tz = timezone.get_current_timezone()
    return Order.objects.filter(
        COMPLETED.condition(),
        paid_at__gte=datetime(year, 1, 1, tzinfo=tz),
        paid_at__lt=datetime(year + 1, 1, 1, tzinfo=tz),
    )


def platform_sales_for(household: Household, year: int) -> PlatformSales:
    """The household's farmers' completed sales of `year`, summed by the
    database, to the fen."""
    completed = (
        completed_sales(year)
        .filter(farmer__household=household)
        .aggregate(total=Sum(order_value()), orders=Count("pk"))
    )
    return PlatformSales(total=to_fen(completed["total"]), orders=completed["orders"])


@dataclass(frozen=True)
class PovertyStatus:
    """Where a survey stands against its county-year line (None: no line set)."""

    line: PovertyLineInForce | None
    per_capita: Decimal  # rounded to the fen, for display
    net_income: Decimal
    members: int

    @property
    def under_line(self) -> bool | None:
        if self.line is None:
            return None
        return is_under_line(self.net_income, self.members, self.line.amount)


def poverty_status(survey: IncomeSurvey, lines: dict | None = None) -> PovertyStatus:
    """Computed from the county-year line (counties.selectors.poverty_line_for),
    never typed. `lines`: a dict to remember lines by (county, year) across many
    surveys."""
    lines = {} if lines is None else lines
    county = survey.household.village.county
    key = (county.pk, survey.year)
    if key not in lines:
        try:
            lines[key] = poverty_line_for(county, survey.year)
        except PovertyLineNotSet:
            lines[key] = None
    line = lines[key]
    return PovertyStatus(
        line=line,
        per_capita=survey.net_income_per_capita,
        net_income=survey.net_income,
        members=survey.members,
    )


# --- The household file ------------------------------------------------------


def household_file(user, household: Household) -> dict:
    """The household file's work record: surveys over the years (with a small
    chart against the poverty line), visits, its farmers' training, their
    platform sales by year and the audit trail of what was done for and about
    them, all read through the user's scope."""
    surveys = list(
        surveys_visible_to(user)
        .filter(household=household)
        .select_related("household__village__county")
        .order_by("year")
    )
    chart = [(survey, poverty_status(survey)) for survey in surveys]
    tallest = max(
        [status.per_capita for _survey, status in chart]
        + [status.line.amount for _survey, status in chart if status.line],
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
        .annotate(total=Sum(order_value()), orders=Count("pk"))
        .order_by("year"),
        "audit_events": events_about_household(user, household)[:RECENT],
    }


def _percent(value, tallest) -> int:
    if not tallest or value <= 0:
        return 0
    return int(value * 100 / tallest)
