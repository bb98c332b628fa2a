"""Reads about assistants, assignments, training, visits and surveys, scoped to
the user asking."""

from django.db.models import Q, QuerySet

from accounts.selectors import scoped
from assistants.models import (
    Assignment,
    Assistant,
    IncomeSurvey,
    TrainingSession,
    Visit,
)
from farmers.selectors import farmers_visible_to, households_visible_to


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
    """Surveys of the households `user` may see (farmers.selectors)."""
    return IncomeSurvey.objects.filter(
        household__in=households_visible_to(user).values("pk")
    )


def visits_visible_to(user) -> QuerySet[Visit]:
    return Visit.objects.select_related("assistant__user").filter(
        household__in=households_visible_to(user).values("pk")
    )


def audit_events_rule(user) -> Q:
    """The audit events an assistant may read: about the farmers assigned to them,
    or, with no farmer, about those farmers' households."""
    return Q(farmer__in=farmers_visible_to(user).values("pk")) | Q(
        farmer__isnull=True, household__in=households_visible_to(user).values("pk")
    )
