"""The assistant's dashboard: for each assigned farmer, sales and their trend,
orders to ship, stock, listings, days since the last sale, and the last training
and visit, all annotated by the database in one query however many farmers there
are; and the reasons a farmer needs help, first in the list."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assistants.models import Attendance, Visit
from catalogue.models import LOW_STOCK, Product, ProductStatus
from farmers.models import Farmer
from farmers.selectors import farmers_visible_to
from orders.models import SOLD, Order, OrderStatus
from orders.selectors import overdue

SALES_WINDOW = timedelta(days=30)
ZERO = Value(0)
MONEY = DecimalField(max_digits=14, decimal_places=2)


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
            _("An order unshipped for over 48 hours"),
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
            .annotate(total=Sum("total"))
            .values("total"),
            output_field=MONEY,
        ),
        Value(0, output_field=MONEY),
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
