"""Income surveys: record and correct a household's year (history kept in the audit
trail: one event per recording or correction, with the figures before and after),
platform sales filled in from its farmers' completed sales (orders.sales.COMPLETED)
and kept up to date with the orders, and the poverty-line
status, which is computed from the county-year line
(counties.selectors.poverty_line_for) and never typed."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    DecimalField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from assistants.models import SURVEY_FIELDS, IncomeSurvey
from audit.models import AuditEvent
from audit.services import diff, record, snapshot
from common.money import to_fen
from counties.selectors import PovertyLineInForce, PovertyLineNotSet, poverty_line_for
from farmers.models import Household
from orders.models import Order
from orders.sales import COMPLETED

FIRST_YEAR = 2000
DUPLICATE = _lazy(
    "This household already has a survey for %(year)s; correct it instead."
)
# What the audit keeps of a survey: every figure, typed or filled in.
AUDITED_FIELDS = ("year", *SURVEY_FIELDS, "platform_sales", "platform_orders")


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
        .aggregate(total=Sum("total"), orders=Count("pk"))
    )
    return PlatformSales(total=to_fen(completed["total"]), orders=completed["orders"])


def surveys_refresh_platform_sales(
    *, year: int, farmers: QuerySet | None = None
) -> int:
    """Platform sales of the surveys of `year` again from the orders, set-based
    (one UPDATE), for the households of `farmers` (None: every household). The
    rollups call it for the farmers of each day they rebuild, so a refund or a
    completion after a survey was recorded reaches it. Returns the rows updated."""
    orders = (
        completed_sales(year)
        .filter(farmer__household=OuterRef("household"))
        .order_by()
        .values("farmer__household")
    )
    surveys = IncomeSurvey.objects.filter(year=year)
    if farmers is not None:
        surveys = surveys.filter(household__farmers__in=farmers)
    amount = DecimalField(max_digits=12, decimal_places=2)
    return surveys.update(
        platform_sales=Coalesce(
            Subquery(orders.annotate(total=Sum("total")).values("total")),
            Value(0, output_field=amount),
            output_field=amount,
        ),
        platform_orders=Coalesce(
            Subquery(orders.annotate(n=Count("pk")).values("n")), Value(0)
        ),
    )


@dataclass(frozen=True)
class PovertyStatus:
    """Where a survey stands against its county-year line (None: no line set)."""

    line: PovertyLineInForce | None
    per_capita: Decimal  # rounded to the fen, for display
    net_income: Decimal
    members: int

    @property
    def under_line(self) -> bool | None:
        # Compared unrounded: net / members < line  ⇔  net < line × members.
        if self.line is None:
            return None
        return self.net_income < self.line.amount * self.members


def poverty_status(survey: IncomeSurvey, lines: dict | None = None) -> PovertyStatus:
    """`lines`: a dict to remember lines by (county, year) across many surveys."""
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


def _check_year(year: int) -> None:
    if year > timezone.localdate().year:
        raise ValidationError(
            _("A survey year cannot be in the future."), code="future_year"
        )
    if year < FIRST_YEAR:
        raise ValidationError(
            _("A survey year starts from %(year)s.") % {"year": FIRST_YEAR},
            code="old_year",
        )


@transaction.atomic
def survey_record(
    *, household: Household, year: int, recorded_by, **figures
) -> IncomeSurvey:
    """A household's survey for `year`; platform sales are filled in."""
    _check_year(year)
    if IncomeSurvey.objects.filter(household=household, year=year).exists():
        raise ValidationError(DUPLICATE % {"year": year}, code="duplicate")
    sales = platform_sales_for(household, year)
    survey = IncomeSurvey(
        household=household,
        year=year,
        recorded_by=recorded_by,
        platform_sales=sales.total,
        platform_orders=sales.orders,
        **{name: figures[name] for name in SURVEY_FIELDS if name in figures},
    )
    survey.full_clean()
    try:
        with transaction.atomic():
            survey.save()
    except IntegrityError as exc:  # a double submit: the other one was first
        raise ValidationError(DUPLICATE % {"year": year}, code="duplicate") from exc
    record(
        actor=recorded_by,
        action=AuditEvent.Action.SURVEY_RECORDED,
        subject=survey,
        household=household,
        after=diff(None, survey, AUDITED_FIELDS)[1],
    )
    return survey


@transaction.atomic
def survey_correct(*, survey: IncomeSurvey, changed_by, **figures) -> IncomeSurvey:
    """Change a survey's figures, keeping the change (each changed figure before
    and after) in the audit trail, its history. Platform sales are refreshed from
    the orders (a late completion or refund shows up)."""
    survey = IncomeSurvey.objects.select_for_update().get(pk=survey.pk)
    sales = platform_sales_for(survey.household, survey.year)
    new = {
        **{name: figures[name] for name in SURVEY_FIELDS if name in figures},
        "platform_sales": sales.total,
        "platform_orders": sales.orders,
    }
    before = snapshot(survey, new)
    for name, value in new.items():
        setattr(survey, name, value)
    old, changed = diff(before, survey, new)
    if not changed:
        return survey
    survey.full_clean()
    survey.save()
    record(
        actor=changed_by,
        action=AuditEvent.Action.SURVEY_CORRECTED,
        subject=survey,
        household=survey.household,
        before=old,
        after=changed,
    )
    return survey
