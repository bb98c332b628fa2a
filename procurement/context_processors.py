"""`unit_membership` in every template: the signed-in buyer's place in a work
unit, read only when a template uses it (the nav, for buyers)."""

from django.utils.functional import SimpleLazyObject

from procurement.selectors import membership_of


def unit_membership(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unit_membership": None}
    return {"unit_membership": SimpleLazyObject(lambda: membership_of(user))}
