"""A unit's staff shopping for themselves toward its total: its admins make the
staff link (a new one replaces the old, which stops working), a buyer who opens
it shops as one of its staff until they stop, and each order they pay from then
on is recorded as the unit's staff purchase (procurement.services.purchases)."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from audit.models import AuditEvent
from audit.services import record
from procurement.models import StaffShopper, UnitMember, WorkUnit
from procurement.selectors import token_hash
from procurement.services.units import refuse_unless_manages

A = AuditEvent.Action


@transaction.atomic
def staff_link_make(*, unit: WorkUnit, actor) -> str:
    """A new staff link for `unit` (the old one stops working); returns its
    token, stored only as a hash and so shown once."""
    refuse_unless_manages(unit, actor)
    token = secrets.token_urlsafe(24)
    WorkUnit.objects.filter(pk=unit.pk).update(staff_link_hash=token_hash(token))
    record(actor=actor, action=A.UNIT_STAFF_LINK_MADE, subject=unit, county=unit.county)
    return token


@transaction.atomic
def staff_join(*, unit: WorkUnit, user) -> StaffShopper:
    """`user` shops as one of `unit`'s staff from now on (a buyer shops for one
    unit at a time, and a unit's member only for their own unit)."""
    if user.role != Role.BUYER:
        raise ValidationError(
            _("Only a buyer's account can shop as a unit's staff."),
            code="not_a_buyer",
        )
    member = UnitMember.objects.filter(user=user).select_related("unit").first()
    if member is not None and member.unit_id != unit.pk:
        raise ValidationError(
            _("You belong to %(unit)s; your purchases count toward it only.")
            % {"unit": member.unit},
            code="other_unit",
        )
    shopper, _created = StaffShopper.objects.update_or_create(
        user=user, defaults={"unit": unit, "joined_at": timezone.now()}
    )
    record(actor=user, action=A.UNIT_STAFF_JOINED, subject=unit, county=unit.county)
    return shopper


@transaction.atomic
def staff_leave(*, user) -> None:
    """`user`'s next orders count toward no unit (those paid before stay)."""
    shopper = StaffShopper.objects.filter(user=user).select_related("unit").first()
    if shopper is None:
        return
    shopper.delete()
    record(
        actor=user,
        action=A.UNIT_STAFF_LEFT,
        subject=shopper.unit,
        county=shopper.unit.county,
    )
