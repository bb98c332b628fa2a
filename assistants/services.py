"""Writes about assignments: assign, reassign (history kept), in bulk; each
recorded in the audit trail."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assistants.models import Assignment, Assistant
from assistants.selectors import assignments_in_force
from audit.models import AuditEvent
from audit.services import record
from farmers.models import Farmer


@transaction.atomic
def assignment_assign(
    *,
    farmer: Farmer,
    assistant: Assistant,
    assigned_by,
    today: date | None = None,
    audited: bool = True,
) -> Assignment:
    """Make `assistant` the farmer's assistant from today.

    Closes the farmer's active assignment, if any, so history is kept. Refuses an
    assistant from another county. Assigning the current assistant again is a no-op.
    Writes an audit row, unless `audited` is False (onboarding's own row says who
    the assistant is).
    """
    today = today or timezone.localdate()
    # Lock the farmer so concurrent reassignments of one farmer run one at a time.
    farmer = (
        Farmer.objects.select_for_update(of=("self",))
        .select_related("household__village")
        .get(pk=farmer.pk)
    )
    if farmer.household.village.county_id != assistant.county_id:
        raise ValidationError(
            _("%(assistant)s works in another county than %(farmer)s.")
            % {"assistant": assistant, "farmer": farmer},
            code="other_county",
        )
    active = assignments_in_force().filter(farmer=farmer).first()
    if active is not None:
        if active.assistant_id == assistant.pk:
            return active
        active.ended_on = today
        active.save(update_fields=["ended_on"])
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                farmer=farmer,
                assistant=assistant,
                started_on=today,
                assigned_by=assigned_by,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("%(farmer)s already has an assistant.") % {"farmer": farmer},
            code="already_assigned",
        ) from exc
    if audited:
        record(
            actor=assigned_by,
            action=AuditEvent.Action.REASSIGNED
            if active
            else AuditEvent.Action.ASSIGNED,
            subject=assignment,
            farmer=farmer,
            before={"assistant": str(active.assistant)} if active else {},
            after={"assistant": str(assistant)},
        )
    return assignment


@transaction.atomic
def assignments_assign_in_bulk(
    *, farmers, assistant: Assistant, assigned_by
) -> list[Assignment]:
    """Assign every farmer to `assistant`, all or none."""
    return [
        assignment_assign(farmer=farmer, assistant=assistant, assigned_by=assigned_by)
        for farmer in farmers
    ]
