"""Who acts as an order's buyer: the buyer who placed it, unless an app above
the orders narrows it in its AppConfig.ready() (procurement: a work unit's order
stays the unit's, so a buyer removed from the unit no longer sees or acts on
it). Each rule is a function of the user returning the condition, on orders,
that their own orders must also meet."""

from collections.abc import Callable

from django.db.models import Q

BUYER_RULES: list[Callable[[object], Q]] = []


def buyer_rule_register(rule: Callable[[object], Q]) -> None:
    if rule not in BUYER_RULES:
        BUYER_RULES.append(rule)


def as_buyer(user) -> Q:
    """The orders `user` acts on as their buyer."""
    condition = Q(buyer=user)
    for rule in BUYER_RULES:
        condition &= rule(user)
    return condition


def acts_as_buyer(order, user) -> bool:
    """Whether `user` acts as `order`'s buyer (one query, when a rule applies)."""
    if order.buyer_id != user.pk:
        return False
    if not BUYER_RULES:
        return True
    return type(order).objects.filter(as_buyer(user), pk=order.pk).exists()
