"""Writes about an assistant's field work: training sessions with their attendance,
and household visits. Only the assistant's own assigned farmers (and their
households) may be named; anything else is refused and nothing is saved."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assistants.models import (
    MAX_SESSION_HOURS,
    Assistant,
    Attendance,
    SkillTopic,
    TrainingSession,
    Visit,
    VisitPurpose,
)
from farmers.models import Farmer, Household
from farmers.selectors import ACTIVE


def assigned_farmers(assistant: Assistant):
    return Farmer.objects.filter(ACTIVE, assignments__assistant=assistant)


def _check_date(day: date) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")


def _check_farmers(assistant: Assistant, farmers) -> list[Farmer]:
    """The farmers, each once (a list may name one twice: one attendance), if all
    are the assistant's."""
    farmers = list(dict.fromkeys(farmers))
    mine = set(
        assigned_farmers(assistant)
        .filter(pk__in=[f.pk for f in farmers])
        .values_list("pk", flat=True)
    )
    strangers = [farmer for farmer in farmers if farmer.pk not in mine]
    if strangers:
        raise ValidationError(
            _("Not one of your farmers: %(names)s.")
            % {"names": ", ".join(str(f) for f in strangers)},
            code="not_assigned",
        )
    return farmers


@transaction.atomic
def training_record(
    *,
    assistant: Assistant,
    held_on: date,
    hours,
    topics: list[str],
    online: bool = False,
    location: str = "",
    notes: str = "",
    farmers=(),
) -> TrainingSession:
    """Record a training session and who of the assistant's farmers attended."""
    _check_date(held_on)
    if not topics:
        raise ValidationError(_("Choose at least one skill topic."), code="no_topic")
    unknown = set(topics) - set(SkillTopic.values)
    if unknown:
        raise ValidationError(_("Unknown skill topic."), code="topic")
    if not 0 < hours <= MAX_SESSION_HOURS:
        raise ValidationError(
            _("A session lasts more than 0 and at most %(max)s hours.")
            % {"max": MAX_SESSION_HOURS},
            code="hours",
        )
    if not online and not location.strip():
        raise ValidationError(
            _("Say where the session was held, or mark it online."), code="place"
        )
    farmers = _check_farmers(assistant, farmers)
    session = TrainingSession.objects.create(
        assistant=assistant,
        held_on=held_on,
        hours=hours,
        online=online,
        location=location.strip(),
        topics=[topic for topic in SkillTopic.values if topic in topics],
        notes=notes,
    )
    Attendance.objects.bulk_create(
        Attendance(session=session, farmer=farmer) for farmer in farmers
    )
    return session


@transaction.atomic
def training_attendance_set(*, session: TrainingSession, farmers) -> None:
    """Set who of the assistant's current farmers attended."""
    farmers = _check_farmers(session.assistant, farmers)
    # Only the assistant's current farmers are theirs to change: the attendance of
    # a farmer since moved to another assistant stays in the history.
    session.attendance.filter(farmer__in=assigned_farmers(session.assistant)).exclude(
        farmer__in=farmers
    ).delete()
    present = set(session.attendance.values_list("farmer_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(session=session, farmer=farmer)
        for farmer in farmers
        if farmer.pk not in present
    )


def households_of(assistant: Assistant):
    return Household.objects.filter(
        pk__in=assigned_farmers(assistant).values("household_id")
    )


@transaction.atomic
def visit_record(
    *,
    assistant: Assistant,
    household: Household,
    visited_on: date,
    purpose: str,
    challenges: str = "",
    support_needed: str = "",
) -> Visit:
    """Record a visit to the household of one of the assistant's farmers."""
    _check_date(visited_on)
    if not households_of(assistant).filter(pk=household.pk).exists():
        raise ValidationError(
            _("This household is not one of your farmers'."), code="not_assigned"
        )
    if purpose not in VisitPurpose.values:
        raise ValidationError(_("Choose the purpose of the visit."), code="purpose")
    visit = Visit(
        assistant=assistant,
        household=household,
        visited_on=visited_on,
        purpose=purpose,
        challenges=challenges,
        support_needed=support_needed,
    )
    visit.full_clean()
    visit.save()
    return visit
