"""Reads about assistants and assignments, scoped to the user asking; the one
lookup of a user's assistant profile (`assistant_of`), and the one rule for the
farmers assigned to an assistant (`assigned_to`, with `assigned_farmers` and
`assigned_households` built on it)."""

from django.db.models import Q, QuerySet

from accounts.selectors import scoped
from assistants.models import Assignment, Assistant
from farmers.models import Farmer, Household


def assistant_of(user) -> Assistant | None:
    """The assistant profile of `user`, with its user and county; None for a
    visitor not signed in or a user without one. Pages and API views look the
    profile up here."""
    if not user.is_authenticated:
        return None
    return Assistant.objects.select_related("user", "county").filter(user=user).first()


def _in_force(path: str = "") -> Q:
    """An assignment that has not ended (`path`: the way to the assignment)."""
    return Q(**{f"{path}ended_on__isnull": True})


def assignments_in_force() -> QuerySet[Assignment]:
    """Every assignment in force: at most one per farmer (a constraint)."""
    return Assignment.objects.filter(_in_force())


def assigned_to(assistant=None, *, user=None, anyone=False) -> Q:
    """The rule for "the farmers assigned to this assistant", as a condition on
    farmers: an assignment of theirs in force, to `assistant` (an Assistant, its
    id or an expression such as OuterRef("pk")), or to the assistant whose user
    is `user`, or (`anyone`) to any assistant; name exactly one. One condition,
    so the assistant and "in force" hold for the same assignment (and a values()
    of "assignments__…" after it reads that assignment)."""
    if (assistant is not None) + (user is not None) + anyone != 1:
        raise TypeError("Name the assistant, their user, or anyone.")
    condition = _in_force("assignments__")
    if user is not None:
        condition &= Q(assignments__assistant__user=user)
    elif assistant is not None:
        condition &= Q(assignments__assistant=assistant)
    return condition


def assigned_farmers(assistant=None, *, user=None, anyone=False) -> QuerySet[Farmer]:
    """The farmers assigned now to `assistant`, to `user`'s profile, or (`anyone`)
    to any assistant."""
    return Farmer.objects.filter(assigned_to(assistant, user=user, anyone=anyone))


def assigned_households(assistant=None, *, user=None) -> QuerySet[Household]:
    """The households of the farmers assigned to `assistant` (or `user`) now."""
    farmers = assigned_farmers(assistant, user=user)
    return Household.objects.filter(pk__in=farmers.values("household_id"))


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
