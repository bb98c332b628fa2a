"""Reading the audit trail, scoped to the user: staff see every event, officials
those of their counties, assistants those about their assigned farmers (and those
farmers' households); farmers and buyers see none."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from accounts.selectors import scoped
from audit.models import AuditEvent
from farmers.selectors import farmers_visible_to, households_visible_to


def events_visible_to(user) -> QuerySet[AuditEvent]:
    """Newest first, with what the rows show loaded in the same query."""
    queryset = AuditEvent.objects.select_related(
        "actor", "county", "farmer", "subject_type"
    )
    return scoped(
        queryset,
        user,
        official=lambda u: Q(county__officials=u),
        assistant=lambda u: (
            Q(farmer__in=farmers_visible_to(u).values("pk"))
            | Q(
                farmer__isnull=True, household__in=households_visible_to(u).values("pk")
            )
        ),
    )


def events_about_household(user, household) -> QuerySet[AuditEvent]:
    """The household file's history: its own events and its farmers'."""
    return events_visible_to(user).filter(household=household)


def events_about(user, subject) -> QuerySet[AuditEvent]:
    """The events about one row (a survey's corrections, a listing's edits)."""
    return events_visible_to(user).filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )
