"""Reading after-sales cases: scope (the orders' own rule: whoever may see the
order may see its cases), who the user is to a case, the moves open to them,
whether an order may still be asked about, and the lines left to ask about."""

from datetime import timedelta

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone

from accounts.models import Role
from aftersales.models import OPEN, AfterSale, AfterSaleLine
from aftersales.rules import MOVES, S
from assistants.selectors import assigned_farmers
from orders.models import Order, OrderLine, OrderStatus
from orders.providers import PROVIDERS
from orders.selectors import orders_visible_to


def aftersales_visible_to(user) -> QuerySet[AfterSale]:
    return AfterSale.objects.filter(
        order__in=orders_visible_to(user).values("pk")
    ).select_related("order__farmer", "order__buyer")


def open_cases(user) -> QuerySet[AfterSale]:
    """The user's cases still open, the oldest first."""
    return aftersales_visible_to(user).filter(status__in=OPEN).order_by("created_at")


def parties(case: AfterSale, user) -> set[str]:
    """What `user` is to the case: its order's buyer, the seller (the farmer or
    their assistant now), staff."""
    if user is None or not user.is_authenticated:
        return set()
    found = set()
    order = case.order
    if user.role == Role.STAFF:
        found.add("staff")
    if order.buyer_id == user.pk:
        found.add("buyer")
    if order.farmer.user_id == user.pk or (
        user.role == Role.ASSISTANT
        and assigned_farmers(user=user).filter(pk=order.farmer_id).exists()
    ):
        found.add("seller")
    return found


def unanswered(case: AfterSale, now=None) -> bool:
    """A request the farmer has let pass its `answer_by`."""
    return case.status == S.REQUESTED and (now or timezone.now()) >= case.answer_by


def moves_for(case: AfterSale, user, now=None) -> list[str]:
    """The moves `user` may make on the case now (the page's buttons)."""
    who = parties(case, user)
    return [
        name
        for name, move in MOVES.items()
        if case.status in move.sources and move.actors & who
        if not (
            name == "escalate"
            and case.status == S.REQUESTED
            and not unanswered(case, now)
        )
    ]


def received_at(order: Order):
    """When the buyer received the order: delivered, or else completed."""
    return order.delivered_at or order.completed_at


def ask_until(order: Order):
    """The end of the window for asking (AFTERSALE_DAYS after receipt)."""
    received = received_at(order)
    return received + timedelta(days=settings.AFTERSALE_DAYS) if received else None


def may_ask(order: Order, now=None) -> bool:
    """Whether the order's buyer may open a case now: received, its money
    paid (online, or collected on delivery), not a unit's, within the window,
    and with a line left to ask about."""
    if order.completes_on_acceptance:
        return False
    if order.status not in (OrderStatus.DELIVERED, OrderStatus.COMPLETED):
        return False
    online = PROVIDERS[order.checkout.provider].online
    if not online and order.status != OrderStatus.COMPLETED:
        return False
    until = ask_until(order)
    return (
        until is not None
        and (now or timezone.now()) < until
        and bool(lines_to_ask(order))
    )


def lines_to_ask(order: Order) -> list[OrderLine]:
    """The order's lines not yet asked about, with units left (not returned)."""
    asked = AfterSaleLine.objects.filter(line__order=order).values("line_id")
    return list(
        order.lines.exclude(pk__in=asked)
        .filter(quantity__gt=F("returned"))
        .order_by("pk")
    )
