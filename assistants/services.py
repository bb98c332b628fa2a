"""Writes about assistants' farmers: onboarding a farmer (user, household,
profile and assignment in one transaction), and assignments: assign, reassign
(history kept), in bulk; each recorded in the audit trail."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from assistants.models import Assignment, Assistant
from assistants.selectors import assignments_in_force
from audit import services as audit
from audit.models import AuditEvent
from audit.services import record
from farmers.audit import on_behalf
from farmers.models import Farmer, Household
from farmers.services import household_create


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


Action = AuditEvent.Action
# What the audit keeps of a new farmer (and of its household: Household.FILE_FIELDS).
ONBOARDING_FIELDS = ("shop_name", "slug", "phone", "household")


@dataclass(frozen=True)
class NewFarmer:
    username: str
    full_name: str
    phone: str
    shop_name: str
    slug: str


@transaction.atomic
def farmer_onboard(
    *,
    assistant: Assistant,
    farmer: NewFarmer,
    household: Household | None = None,
    new_household: dict | None = None,
) -> Farmer:
    """Create the farmer's user (no password yet: they set one through a one-time
    link), their household if new, their profile, and assign them to `assistant`.
    All or nothing."""
    if (household is None) == (new_household is None):
        raise ValueError("give either household or new_household")
    try:
        with transaction.atomic():
            return _farmer_create(assistant, farmer, household, new_household)
    except IntegrityError as exc:
        # Two assistants registering the same phone or username at the same moment:
        # the form's checks passed for both, the database lets one through.
        raise ValidationError(
            _(
                "Another farmer was registered with this phone, username or shop "
                "address a moment ago. Please check and try again."
            ),
            code="race",
        ) from exc


def _farmer_create(assistant, farmer, household, new_household) -> Farmer:
    """One audit row for the whole onboarding: the farmer, their assistant and,
    for a new household, its file (keys "household.status" and so on)."""
    fields = list(ONBOARDING_FIELDS)
    if household is None:
        household = household_create(**new_household)
        fields += [f"household.{name}" for name in Household.FILE_FIELDS]
    # The assistant registers the farmer's own phone with them, in person: it
    # takes their text messages and signs them in by code (accounts.phone_codes).
    user = User(
        username=farmer.username,
        first_name=farmer.full_name,
        role=Role.FARMER,
        phone=farmer.phone,
        phone_verified_at=timezone.now(),
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    profile = Farmer(
        user=user,
        household=household,
        phone=farmer.phone,
        shop_name=farmer.shop_name,
        slug=farmer.slug,
    )
    profile.full_clean()
    profile.save()
    assignment_assign(
        farmer=profile, assistant=assistant, assigned_by=assistant.user, audited=False
    )
    _none, after = audit.diff(None, profile, fields)
    on_behalf(
        actor=assistant.user,
        farmer=profile,
        action=Action.ONBOARDED,
        after={**after, "assistant": str(assistant)},
    )
    return profile
