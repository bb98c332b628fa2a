"""Reads about field work, scoped to the user asking: training sessions (and their
totals), visits and income surveys; a survey's platform sales and its place
against the poverty line; the assistant's dashboard (each farmer's figures and
the reasons they need help, annotated by the database in one query however many
farmers there are); and the household file's work record."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import scoped
from assistants.selectors import farmers_visible_to, households_visible_to
from audit.selectors import events_about_household
from catalogue.models import LOW_STOCK, Product, ProductStatus
from common.money import TOTAL_FIELD, to_fen
from counties.selectors import PovertyLineInForce, PovertyLineNotSet, poverty_line_for
from farmers.models import Farmer, Household
from fieldwork.models import (
    Attendance,
    IncomeSurvey,
    TrainingSession,
    Visit,
    is_under_line,
)
from orders.models import SOLD, Order, OrderStatus
from orders.sales import COMPLETED, order_value
from orders.selectors import SHIP_WITHIN_HOURS, overdue

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


# --- The dashboard and the help rules ----------------------------------------


@dataclass(frozen=True)
class HelpRule:
    code: str
    label: str
    condition: Q


def _quarter_start(today):
    return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)


def help_rules(now=None) -> list[HelpRule]:
    """Why a farmer needs help, as conditions on the dashboard's annotations."""
    now = now or timezone.now()
    return [
        HelpRule("no_listing", _("No active listing"), Q(active_listings=0)),
        HelpRule(
            "no_sale",
            _("No sale in 30 days"),
            Q(last_sale_at__isnull=True) | Q(last_sale_at__lt=now - SALES_WINDOW),
        ),
        HelpRule(
            "unshipped",
            _("An order unshipped for over %(hours)s hours")
            % {"hours": SHIP_WITHIN_HOURS},
            Q(overdue_orders__gt=0),
        ),
        HelpRule(
            "best_seller_out",
            _("Best seller out of stock"),
            Q(best_seller_sold__gt=0, best_seller_stock=0),
        ),
        HelpRule(
            "no_visit",
            _("No visit this quarter"),
            Q(last_visit__isnull=True)
            | Q(last_visit__lt=_quarter_start(timezone.localdate(now))),
        ),
    ]


def _count(queryset) -> Subquery:
    return Coalesce(
        Subquery(
            queryset.order_by().values("farmer").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        ZERO,
    )


def _sales(farmer_orders, start, end) -> Subquery:
    return Coalesce(
        Subquery(
            farmer_orders.filter(paid_at__gte=start, paid_at__lt=end)
            .order_by()
            .values("farmer")
            .annotate(total=Sum(order_value()))
            .values("total"),
            output_field=TOTAL_FIELD,
        ),
        Value(0, output_field=TOTAL_FIELD),
    )


def dashboard_farmers(user, now=None) -> QuerySet[Farmer]:
    """The user's farmers with every dashboard figure and a flag per help rule
    (`help_<code>`), those needing help first."""
    return with_figures(farmers_visible_to(user), now).order_by(
        "-needs_help", "shop_name", "pk"
    )


def with_figures(farmers: QuerySet[Farmer], now=None) -> QuerySet[Farmer]:
    """Annotate `farmers` with the dashboard's figures and help flags."""
    now = now or timezone.now()
    products = Product.objects.filter(farmer=OuterRef("pk"))
    active = products.filter(status=ProductStatus.ACTIVE)
    sold = Order.objects.filter(farmer=OuterRef("pk"), status__in=SOLD)
    best_seller = active.order_by("-units_sold", "pk")
    queryset = farmers.defer(
        "story", "household__poverty_causes", "household__support_measures"
    ).annotate(
        sales_30d=_sales(sold, now - SALES_WINDOW, now),
        sales_prior_30d=_sales(sold, now - 2 * SALES_WINDOW, now - SALES_WINDOW),
        to_ship=_count(
            Order.objects.filter(farmer=OuterRef("pk"), status=OrderStatus.PAID)
        ),
        overdue_orders=_count(
            Order.objects.filter(overdue(now), farmer=OuterRef("pk"))
        ),
        active_listings=_count(active),
        out_of_stock=_count(active.filter(stock=0)),
        low_stock=_count(active.filter(stock__gt=0, stock__lte=LOW_STOCK)),
        awaiting_review=_count(products.filter(status=ProductStatus.PENDING)),
        rejected=_count(products.filter(status=ProductStatus.REJECTED)),
        last_sale_at=Subquery(
            sold.order_by().values("farmer").annotate(at=Max("paid_at")).values("at")
        ),
        last_training=Subquery(
            Attendance.objects.filter(farmer=OuterRef("pk"))
            .order_by()
            .values("farmer")
            .annotate(on=Max("session__held_on"))
            .values("on")
        ),
        last_visit=Subquery(
            Visit.objects.filter(household=OuterRef("household"))
            .order_by()
            .values("household")
            .annotate(on=Max("visited_on"))
            .values("on")
        ),
        best_seller_sold=Subquery(best_seller.values("units_sold")[:1]),
        best_seller_stock=Subquery(best_seller.values("stock")[:1]),
    )
    rules = help_rules(now)
    flags = {
        f"help_{rule.code}": Case(
            When(rule.condition, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        for rule in rules
    }
    needs_help = Case(
        When(Q.create([rule.condition for rule in rules], connector=Q.OR), then=1),
        default=0,
        output_field=IntegerField(),
    )
    return queryset.annotate(**flags, needs_help=needs_help).order_by(
        "-needs_help", "shop_name", "pk"
    )


def help_reasons(farmer: Farmer, now=None) -> list[HelpRule]:
    """The rules a dashboard row (from dashboard_farmers) meets."""
    return [rule for rule in help_rules(now) if getattr(farmer, f"help_{rule.code}")]


def help_rule_labels() -> dict[str, str]:
    return {rule.code: str(rule.label) for rule in help_rules()}


def needs_help_message(notification) -> tuple[str, str]:
    """What a FARMER_NEEDS_HELP notification says, and its link (registered with
    notifications.messages in FieldworkConfig.ready())."""
    farmer = notification.farmer
    text = _("%(shop)s needs help: %(reason)s.") % {
        "shop": farmer.shop_name,
        "reason": help_rule_labels().get(notification.reason, notification.reason),
    }
    return text, reverse("fieldwork:farmer_detail", args=[farmer.pk])


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
