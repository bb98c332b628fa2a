"""The assistant's dashboard and the help rules: each farmer with the
dashboard's figures, and why one needs help (no listing, no sale, an order
unshipped, the best seller out of stock, no visit this quarter, after-sales
waiting for an answer, or too many of them, reviews averaging low). The nightly alerts
(fieldwork.services) read the same rules."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    F,
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
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.models import OPEN, AfterSale
from assistants.selectors import farmers_visible_to
from catalogue.models import LOW_STOCK, Product, ProductStatus
from common.money import TOTAL_FIELD
from farmers.models import Farmer
from fieldwork.models import Attendance, Visit
from orders.models import SOLD, Order, OrderStatus
from orders.sales import order_value
from orders.selectors import SHIP_WITHIN_HOURS, overdue
from reviews.models import Review
from reviews.selectors import LOW_RATING, MIN_REVIEWS

SALES_WINDOW = timedelta(days=30)
ZERO = Value(0)
# A farmer whose after-sales cases of the last AFTERSALE_WINDOW reach this share
# of their orders (and at least AFTERSALE_MIN_CASES of them) needs help.
AFTERSALE_WINDOW = timedelta(days=90)
AFTERSALE_RATE = 10  # per cent
AFTERSALE_MIN_CASES = 3


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
            "aftersales_open",
            _("An after-sales case open"),
            Q(aftersales_open__gt=0),
        ),
        HelpRule(
            "aftersales_many",
            _("After-sales on %(rate)s%% or more of the orders of 90 days")
            % {"rate": AFTERSALE_RATE},
            Q(aftersales_recent__gte=AFTERSALE_MIN_CASES)
            & Q(aftersales_recent_x100__gte=F("orders_recent") * AFTERSALE_RATE),
        ),
        HelpRule(
            "low_rating",
            _("Reviews average below %(stars)s stars") % {"stars": LOW_RATING},
            Q(reviews_shown__gte=MIN_REVIEWS, rating_average__lt=LOW_RATING),
        ),
        HelpRule(
            "no_visit",
            _("No visit this quarter"),
            Q(last_visit__isnull=True)
            | Q(last_visit__lt=_quarter_start(timezone.localdate(now))),
        ),
    ]


def _count(queryset, farmer: str = "farmer") -> Subquery:
    """How many rows of `queryset` (one farmer's, by the path `farmer`)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(farmer).annotate(n=Count("pk")).values("n"),
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
    cases = AfterSale.objects.filter(order__farmer=OuterRef("pk"))
    recent = cases.filter(created_at__gte=now - AFTERSALE_WINDOW)
    reviews = Review.objects.filter(farmer=OuterRef("pk"), hidden_at__isnull=True)
    queryset = (
        farmers.defer(
            "story", "household__poverty_causes", "household__support_measures"
        )
        .annotate(
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
                sold.order_by()
                .values("farmer")
                .annotate(at=Max("paid_at"))
                .values("at")
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
            aftersales_open=_count(cases.filter(status__in=OPEN), "order__farmer"),
            aftersales_recent=_count(recent, "order__farmer"),
            orders_recent=_count(sold.filter(paid_at__gte=now - AFTERSALE_WINDOW)),
            reviews_shown=_count(reviews),
            rating_average=Subquery(
                reviews.order_by()
                .values("farmer")
                .annotate(a=Avg("rating"))
                .values("a")
            ),
        )
        .annotate(aftersales_recent_x100=F("aftersales_recent") * 100)
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


def needs_help_sms(notification) -> dict | None:
    """Only an overdue order is worth a text message to the assistant."""
    if notification.reason != "unshipped":
        return None
    return {"shop": notification.farmer.shop_name, "hours": SHIP_WITHIN_HOURS}
