"""Reading the audit trail, scoped to the user: staff see every event, officials
those of their counties, assistants those about their assigned farmers (and those
farmers' households); farmers and buyers see none.

The trail's pages (the audit page, the on-behalf record, the household file, a
survey's corrections) show what was done for and about farmers by others. A
farmer's own listing changes are in the trail too, as their listing's history
(read with `history`, which the listing page scopes through the listing), and
those pages leave them out: DONE_BY_OTHERS is the rule farmers.audit.on_behalf
applies when it writes (nothing when the farmer acts themselves).

Audit is a side service below the apps that know who is assigned to whom, so the
assistants' rule is theirs to give: assistants.apps registers it with
`assistant_scope_set` (until then, assistants see no events)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, QuerySet

from accounts.selectors import scoped
from audit.models import AuditEvent

_ASSISTANT_SCOPE = []
# Not done by the farmer the event is about (the platform's and others' events).
DONE_BY_OTHERS = (
    Q(actor__isnull=True) | Q(farmer__isnull=True) | ~Q(actor=F("farmer__user"))
)


def assistant_scope_set(rule) -> None:
    """Which events an assistant may read: `rule(user)` returns a Q over
    AuditEvent (registered once, by the assistants app)."""
    _ASSISTANT_SCOPE[:] = [rule]


def _assistant_rule(user) -> Q:
    return _ASSISTANT_SCOPE[0](user) if _ASSISTANT_SCOPE else Q(pk__in=[])


def events_visible_to(user) -> QuerySet[AuditEvent]:
    """Newest first, with what the rows show loaded in the same query; what was
    done by others only (DONE_BY_OTHERS)."""
    queryset = AuditEvent.objects.select_related(
        "actor", "county", "farmer", "subject_type"
    ).filter(DONE_BY_OTHERS)
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


def history(subject, actions) -> QuerySet[AuditEvent]:
    """Every event of `actions` about one row, by anyone, newest first, with the
    actor loaded: unscoped, for a page that reached the row through its own
    scope (a listing's history: catalogue.selectors.listing_history)."""
    return AuditEvent.objects.select_related("actor").filter(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        action__in=list(actions),
    )
