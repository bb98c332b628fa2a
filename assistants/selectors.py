"""Reads about assistants and assignments, scoped to the user asking."""

from django.db.models import Q, QuerySet

from accounts.selectors import scoped
from assistants.models import Assignment, Assistant


def assistants_visible_to(user) -> QuerySet[Assistant]:
    """Staff: all; officials: those in their counties; assistants: themselves."""
    return scoped(
        Assistant.objects.select_related("user", "county"),
        user,
        official=lambda u: Q(county__officials=u),
        assistant=lambda u: Q(user=u),
    )


def assignments_visible_to(user) -> QuerySet[Assignment]:
    """Assignments, active and past, within the user's scope."""
    return scoped(
        Assignment.objects.select_related(
            "assistant__user", "farmer__user", "farmer__household__village__county"
        ),
        user,
        official=lambda u: Q(farmer__household__village__county__officials=u),
        assistant=lambda u: Q(assistant__user=u),
        farmer=lambda u: Q(farmer__user=u),
    )
