"""Reads about assistants, assignments and the farmers and households each user may
see (farmers_visible_to, households_visible_to: who sees whom follows the
assignments), scoped to the user asking; the one
lookup of a user's assistant profile (`assistant_of`), and the one rule for the
farmers assigned to an assistant (`assigned_to`, with `assigned_farmers` and
`assigned_households` built on it)."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

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


def farmers_visible_to(user) -> QuerySet[Farmer]:
    """Staff: all; officials: their counties; assistants: their assigned farmers;
    farmers: themselves. Rows carry their active assignment in `active_assignments`."""
    queryset = Farmer.objects.select_related(
        "user", "household__village__county"
    ).prefetch_related(
        Prefetch(
            "assignments",
            queryset=assignments_in_force().select_related("assistant__user"),
            to_attr="active_assignments",
        )
    )
    return scoped(
        queryset,
        user,
        official=lambda u: Q(household__village__county__officials=u),
        assistant=lambda u: assigned_to(user=u),
        farmer=lambda u: Q(user=u),
    )


def households_visible_to(user) -> QuerySet[Household]:
    """Households of the farmers `user` may see (officials: all in their counties)."""
    queryset = Household.objects.select_related("village__county")
    return scoped(
        queryset,
        user,
        official=lambda u: Q(village__county__officials=u),
        assistant=lambda u: Q(pk__in=assigned_farmers(user=u).values("household_id")),
        farmer=lambda u: Q(farmers__user=u),
    )


def households_open_for_onboarding(user) -> QuerySet[Household]:
    """Households an assistant may add a new farmer to: those of their own farmers,
    and households of their county that have no farmer yet (such as the registered
    households an official imported from the register)."""
    no_farmer_yet = ~Exists(Farmer.objects.filter(household=OuterRef("pk")))
    # The county as a subquery: joining the county's assistants gave a household
    # once per assistant there, and picking it failed (MultipleObjectsReturned).
    my_county = Assistant.objects.filter(user=user).values("county")
    return Household.objects.select_related("village").filter(
        Q(pk__in=households_visible_to(user).values("pk"))
        | (Q(village__county__in=my_county) & no_farmer_yet)
    )


def audit_events_rule(user) -> Q:
    """The audit events an assistant may read: about the farmers assigned to them,
    or, with no farmer, about those farmers' households."""
    return Q(farmer__in=assigned_farmers(user=user).values("pk")) | Q(
        farmer__isnull=True, household__in=assigned_households(user=user).values("pk")
    )
