"""Reading the audit trail, scoped to the user: staff see every event, officials
those of their counties, assistants those about their assigned farmers (and those
farmers' households); farmers and buyers see none.

Audit is a side service below the apps that know who is assigned to whom, so the
assistants' rule is theirs to give: assistants.apps registers it with
`assistant_scope_set` (until then, assistants see no events)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from accounts.selectors import scoped
from audit.models import AuditEvent

_ASSISTANT_SCOPE = []


def assistant_scope_set(rule) -> None:
    """Which events an assistant may read: `rule(user)` returns a Q over
    AuditEvent (registered once, by the assistants app)."""
    _ASSISTANT_SCOPE[:] = [rule]


def _assistant_rule(user) -> Q:
    return _ASSISTANT_SCOPE[0](user) if _ASSISTANT_SCOPE else Q(pk__in=[])


def events_visible_to(user) -> QuerySet[AuditEvent]:
    """Newest first, with what the rows show loaded in the same query."""
    queryset = AuditEvent.objects.select_related(
        "actor", "county", "farmer", "subject_type"
    )
    return scoped(
        queryset,
        user,
        official=lambda u: Q(county__officials=u),
        assistant=_assistant_rule,
    )


def events_about_household(user, household) -> QuerySet[AuditEvent]:
    """The household file's history: its own events and its farmers'."""
    return events_visible_to(user).filter(household=household)


def events_about(user, subject) -> QuerySet[AuditEvent]:
    """The events about one row (a survey's corrections, a listing's edits)."""
    return events_visible_to(user).filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )
