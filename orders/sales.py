"""What counts as a sale. The platform has three definitions, each named here
once; every report figure (and the income survey's platform income) says which
one it uses. All three take the orders *paid* in a period, by the local day of
the payment, and differ in what happened to an order since:

- PAID ("GMV"): every order paid, including those cancelled or refunded since;
- NET: paid, less those cancelled or refunded since (what buyers kept);
- COMPLETED: paid and completed since (the buyer confirmed receipt).

A work unit's order (issue 18, `Order.completes_on_acceptance`) counts under
every definition only once the unit has accepted the goods (the 832 rule:
`counted`), and the summary tables and reports count it at the value of what it
accepted (`line_value`). Those accepted orders are also the UNIT figure, shown
beside the retail ones. Figures summed from orders rather than their lines (a
household's platform income, a farmer's month) take the same value:
`order_value`.

The rollups (reports.rollups) store GMV, completed sales, refunds and unit sales
per bucket; net sales are GMV less refunds."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from common.money import TOTAL_FIELD
from orders.models import OrderLine, OrderStatus

ZERO = Value(Decimal(0), output_field=TOTAL_FIELD)

# Statuses an order can reach after payment without the buyer keeping it.
CLOSED_AFTER_PAYMENT = (OrderStatus.CANCELLED, OrderStatus.REFUNDED)


@dataclass(frozen=True)
class SaleDefinition:
    key: str
    label: str
    counts: str
    _status: tuple[tuple[str, object], ...]
    negated: bool = False

    def condition(self, order: str = "") -> Q:
        """The orders' condition; `order` the path to the order ("order__" from
        an order line, "" from the order)."""
        condition = Q(**{f"{order}{lookup}": value for lookup, value in self._status})
        return (~condition if self.negated else condition) & counted(order)


def counted(order: str = "") -> Q:
    """The orders that can count as sales at all: every retail order, and a work
    unit's order once the unit has accepted it (it then completes)."""
    return Q(**{f"{order}completes_on_acceptance": False}) | Q(
        **{f"{order}status": OrderStatus.COMPLETED}
    )


def line_value():
    """An order line's value as a sale: its total, or for a work unit's order the
    value of the quantity the unit accepted (what it refused is `returned`)."""
    return Case(
        When(
            order__completes_on_acceptance=True,
            then=(F("quantity") - F("returned")) * F("unit_price"),
        ),
        default=F("line_total"),
        output_field=TOTAL_FIELD,
    )


def order_value(order: str = ""):
    """An order's value as a sale, for figures summed from orders: its goods
    (its total without the shipping fee), less for a work unit's order the
    value of what the unit refused (so it agrees with `line_value` summed over
    its lines). `order` is the path to the order."""
    refused = (
        OrderLine.objects.filter(order=OuterRef(f"{order}pk"), returned__gt=0)
        .values("order")
        .annotate(value=Sum(F("returned") * F("unit_price")))
        .values("value")[:1]
    )
    goods = F(f"{order}total") - F(f"{order}shipping_fee")
    return Case(
        When(
            **{f"{order}completes_on_acceptance": True},
            then=goods - Coalesce(Subquery(refused, output_field=TOTAL_FIELD), ZERO),
        ),
        default=goods,
        output_field=TOTAL_FIELD,
    )


def line_quantity():
    """An order line's quantity as a sale: for a work unit's order, what the unit
    accepted."""
    return Case(
        When(order__completes_on_acceptance=True, then=F("quantity") - F("returned")),
        default=F("quantity"),
        output_field=IntegerField(),
    )


PAID = SaleDefinition(
    "paid",
    _("GMV (paid, incl. later refunds)"),
    _(
        "GMV: every order paid in the period, by its payment day, including orders "
        "cancelled or refunded since."
    ),
    (),
)
NET = SaleDefinition(
    "net",
    _("Net sales (less refunds and cancellations)"),
    _(
        "Net sales: orders paid in the period, by their payment day, less those "
        "cancelled or refunded since."
    ),
    (("status__in", CLOSED_AFTER_PAYMENT),),
    negated=True,
)
COMPLETED = SaleDefinition(
    "completed",
    _("Completed sales (receipt confirmed)"),
    _(
        "Completed sales: orders paid in the period, by their payment day, that "
        "the buyer has since confirmed as received."
    ),
    (("status", OrderStatus.COMPLETED),),
)
UNIT = SaleDefinition(
    "unit",
    _("Work units' purchases (accepted goods)"),
    _(
        "Work units' purchases: work units' orders paid in the period, by their "
        "payment day, that the unit has accepted, at the value of the goods it "
        "accepted. Under every definition a work unit's order counts only once "
        "accepted, and goods it refused never count (the 832 rule)."
    ),
    (("completes_on_acceptance", True), ("status", OrderStatus.COMPLETED)),
)
