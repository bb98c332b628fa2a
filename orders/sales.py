"""What counts as a sale. The platform has three definitions, each named here
once; every report figure (and the income survey's platform income) says which
one it uses. All three take the orders *paid* in a period, by the local day of
the payment, and differ in what happened to an order since:

- PAID ("GMV"): every order paid, including those cancelled or refunded since;
- NET: paid, less those cancelled or refunded since (what buyers kept);
- COMPLETED: paid and completed since (the buyer confirmed receipt).

The rollups (reports.rollups) store GMV, completed sales and refunds per bucket;
net sales are GMV less refunds."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.models import OrderStatus

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
        """The orders' status condition; `order` the path to the order
        ("order__" from an order line, "" from the order)."""
        condition = Q(**{f"{order}{lookup}": value for lookup, value in self._status})
        return ~condition if self.negated else condition


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
