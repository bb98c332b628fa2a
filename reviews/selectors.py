"""Reading reviews: those shown (not hidden) of a product or storefront with
their average, the reviews a user manages (a farmer's own, an assistant's
farmers', all for staff), the lines a buyer may still review, and who may
reply or hide."""

from django.db.models import Avg, Count, QuerySet

from accounts.models import Role
from assistants.selectors import assigned_farmers, farmers_visible_to
from orders.models import OrderLine, OrderStatus
from reviews.models import Review

# A storefront whose shown reviews (at least MIN_REVIEWS) average below this
# needs help (fieldwork.help).
LOW_RATING = 3
MIN_REVIEWS = 3


def shown(queryset=None) -> QuerySet[Review]:
    """Reviews not hidden, newest first."""
    queryset = Review.objects.all() if queryset is None else queryset
    return (
        queryset.filter(hidden_at__isnull=True)
        .select_related("buyer")
        .prefetch_related("photos")
        .order_by("-created_at", "-pk")
    )


def rating_of(queryset) -> dict:
    """The average rating and the number of the shown reviews of `queryset`."""
    return shown(queryset).aggregate(average=Avg("rating"), count=Count("pk"))


def managed_by(user) -> QuerySet[Review]:
    """The reviews `user` replies to or hides: their storefront's (farmers),
    their farmers' (assistants), all (staff)."""
    return Review.objects.filter(
        farmer__in=farmers_visible_to(user).values("pk")
    ).select_related("product", "farmer", "buyer")


def lines_to_review(order) -> list[OrderLine]:
    """The completed order's lines not reviewed yet (none for another status)."""
    if order.status != OrderStatus.COMPLETED:
        return []
    return list(order.lines.filter(review__isnull=True).order_by("pk"))


def may_reply(review: Review, user) -> bool:
    return not review.reply and review.farmer.user_id == user.pk


def hiding_scope(user) -> set[int] | None:
    """The farmers whose reviews `user` may hide: every one for staff (None),
    an assistant's assigned farmers, none for anyone else. One query."""
    if user.is_authenticated and user.role == Role.STAFF:
        return None
    if user.is_authenticated and user.role == Role.ASSISTANT:
        return set(assigned_farmers(user=user).values_list("pk", flat=True))
    return set()


def may_hide(review: Review, user, scope: set[int] | None | bool = False) -> bool:
    """Staff, and the assistant of the review's farmer, hide a shown review;
    a list passes `scope` (hiding_scope), read once for all its rows."""
    if review.hidden_at is not None:
        return False
    scope = hiding_scope(user) if scope is False else scope
    return scope is None or review.farmer_id in scope
