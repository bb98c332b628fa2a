"""Writing work units: registering one (staff, with its first admin's
invitation), inviting people by link, joining through one, removing a member,
setting a year's budget (each audited, inside its transaction), and placing
the unit's orders."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from audit.models import AuditEvent
from audit.services import record
from common.money import to_fen
from orders.models import PaymentProviderCode
from orders.providers import PROVIDERS
from orders.services.checkout import checkout_place
from procurement.models import (
    StaffShopper,
    UnitBudget,
    UnitInvite,
    UnitMember,
    UnitOrder,
    UnitRole,
    WorkUnit,
)
from procurement.selectors import admins_of, manages, token_hash

A = AuditEvent.Action


def refuse_unless_manages(unit: WorkUnit, actor) -> None:
    """Staff, or an admin of this unit (procurement.selectors.manages)."""
    if not manages(unit, actor):
        raise ValidationError(
            _("Only the unit's admins can do this."), code="not_allowed"
        )


@transaction.atomic
def unit_register(
    *, name: str, name_en: str, kind: str, county, actor, pays_on_account=False
):
    """Register a work unit; returns it and the link token of its first admin's
    invitation (shown once)."""
    unit = WorkUnit(
        name=name,
        name_en=name_en,
        kind=kind,
        county=county,
        pays_on_account=pays_on_account,
        created_by=actor,
    )
    unit.full_clean()
    unit.save()
    record(
        actor=actor,
        action=A.UNIT_CREATED,
        subject=unit,
        county=county,
        after={"name": name, "kind": kind, "pays_on_account": pays_on_account},
    )
    token = _invite(unit, role=UnitRole.ADMIN, note="", actor=actor)
    return unit, token


@transaction.atomic
def unit_terms_set(*, unit: WorkUnit, pays_on_account: bool, actor) -> WorkUnit:
    """Staff decide whether the unit may take goods on account (its orders
    already placed keep the way they are paid)."""
    if actor.role != Role.STAFF:
        raise ValidationError(
            _("Only the platform's staff decide how a unit pays."), code="not_staff"
        )
    unit = WorkUnit.objects.select_for_update().get(pk=unit.pk)
    before = unit.pays_on_account
    if before != pays_on_account:
        unit.pays_on_account = pays_on_account
        unit.save(update_fields=["pays_on_account"])
        record(
            actor=actor,
            action=A.UNIT_TERMS_SET,
            subject=unit,
            county=unit.county,
            before={"pays_on_account": before},
            after={"pays_on_account": pays_on_account},
        )
    return unit


def _invite(unit: WorkUnit, *, role: str, note: str, actor) -> str:
    token = secrets.token_urlsafe(24)
    UnitInvite.objects.create(
        unit=unit,
        role=role,
        note=note,
        token_hash=token_hash(token),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.UNIT_INVITE_DAYS),
    )
    return token


@transaction.atomic
def invite_create(*, unit: WorkUnit, role: str, note: str, actor) -> str:
    """A new invitation to `unit` with `role`; returns the link's token, which
    is stored only as a hash and so is shown once."""
    refuse_unless_manages(unit, actor)
    if role not in UnitRole.values:
        raise ValidationError(_("Choose a role in the unit."), code="role")
    return _invite(unit, role=role, note=note, actor=actor)


@transaction.atomic
def invite_withdraw(*, invite: UnitInvite, actor) -> None:
    refuse_unless_manages(invite.unit, actor)
    UnitInvite.objects.filter(pk=invite.pk, used_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


@transaction.atomic
def invite_accept(*, invite: UnitInvite, user) -> UnitMember:
    """`user` joins the invitation's unit with its role. A buyer belongs to at
    most one unit; the link works once."""
    if user.role != Role.BUYER:
        raise ValidationError(
            _(
                "Only a buyer's account can join a work unit. Sign out, then "
                "sign up or sign in as the unit's buyer."
            ),
            code="not_a_buyer",
        )
    current = UnitMember.objects.filter(user=user).select_related("unit").first()
    if current is not None:
        raise ValidationError(
            _("You already belong to %(unit)s; a buyer belongs to one unit only.")
            % {"unit": current.unit},
            code="already_member",
        )
    now = timezone.now()
    claimed = UnitInvite.objects.filter(
        pk=invite.pk,
        used_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=now,
    ).update(used_by=user, used_at=now)
    if not claimed:
        raise ValidationError(
            _("This invitation has been used, withdrawn or has expired."),
            code="invite_closed",
        )
    # Their own purchases count toward their unit only from now on.
    StaffShopper.objects.filter(user=user).exclude(unit=invite.unit).delete()
    try:
        with transaction.atomic():
            member = UnitMember.objects.create(
                unit=invite.unit,
                user=user,
                role=invite.role,
                invited_by=invite.created_by,
            )
    except IntegrityError:  # joined another unit in a parallel request
        raise ValidationError(
            _("You already belong to a work unit; a buyer belongs to one unit only."),
            code="already_member",
        ) from None
    record(
        actor=user,
        action=A.UNIT_MEMBER_JOINED,
        subject=invite.unit,
        county=invite.unit.county,
        after={"user": user.username, "role": invite.role},
    )
    return member


@transaction.atomic
def member_remove(*, member: UnitMember, actor) -> None:
    """An admin removes someone from the unit (their orders stay the unit's).
    The last admin cannot be removed: a unit always has one."""
    unit = member.unit
    refuse_unless_manages(unit, actor)
    admins = list(
        admins_of(unit).select_for_update().order_by("pk").values_list("pk", flat=True)
    )
    if member.role == UnitRole.ADMIN and admins == [member.pk]:
        raise ValidationError(
            _("A unit needs an admin: invite another admin before removing this one."),
            code="last_admin",
        )
    UnitMember.objects.filter(pk=member.pk).delete()
    record(
        actor=actor,
        action=A.UNIT_MEMBER_REMOVED,
        subject=unit,
        county=unit.county,
        before={"user": member.user.username, "role": member.role},
    )


@transaction.atomic
def budget_set(*, unit: WorkUnit, year: int, amount, actor) -> UnitBudget:
    """Set the unit's farm-produce budget for `year` (a new figure replaces the
    old one; the audit trail keeps both)."""
    refuse_unless_manages(unit, actor)
    budget = UnitBudget.objects.select_for_update().filter(unit=unit, year=year).first()
    before = {"amount": str(to_fen(budget.amount))} if budget else {}
    if budget is None:
        budget = UnitBudget(unit=unit, year=year, amount=amount, set_by=actor)
    else:
        budget.amount, budget.set_by = amount, actor
    budget.full_clean()
    budget.save()
    record(
        actor=actor,
        action=A.UNIT_BUDGET_SET,
        subject=unit,
        county=unit.county,
        before=before,
        after={"year": year, "amount": str(to_fen(budget.amount))},
    )
    return budget


def payment_ways(unit: WorkUnit) -> list[str]:
    """How the unit may pay: by transfer before shipping, and on account (after
    acceptance) where staff allow it; each only once the platform's bank
    account is set up."""
    ways = [PaymentProviderCode.BANK_TRANSFER]
    if unit.pays_on_account:
        ways.append(PaymentProviderCode.ON_ACCOUNT)
    return [code for code in ways if PROVIDERS[code].ready()]


def unit_order_place(
    *,
    member: UnitMember,
    cart,
    address,
    deliver_by,
    purchase_reference: str,
    idempotency_key,
    quote: str,
    provider: str = PaymentProviderCode.BANK_TRANSFER,
):
    """Place the buyer's cart for their unit, as checkout does (one order per
    storefront, stock taken at placement, the quote checked), paid by company
    bank transfer before shipping or, where the unit may, on account, each order
    recorded as the unit's with its reference and delivery date. The same key
    again returns the first checkout."""
    ways = payment_ways(member.unit)
    if not ways:
        raise ValidationError(
            _("Bank transfer is not set up on this platform yet; ask the staff."),
            code="no_transfer",
        )
    if provider not in ways:
        raise ValidationError(
            _("Your unit cannot pay this way; choose another."), code="not_offered"
        )
    with transaction.atomic():
        checkout = checkout_place(
            buyer=member.user,
            cart=cart,
            address=address,
            provider=provider,
            idempotency_key=idempotency_key,
            quote=quote,
            offered=ways,
            completes_on_acceptance=True,
        )
        placed = list(checkout.orders.order_by("pk"))
        if checkout.provider not in ways or not all(
            order.completes_on_acceptance for order in placed
        ):  # the key of another checkout, reused
            raise ValidationError(
                _("This order form was used already; open the unit's checkout again."),
                code="key_reused",
            )
        UnitOrder.objects.bulk_create(
            [
                UnitOrder(
                    order=order,
                    unit=member.unit,
                    purchase_reference=purchase_reference,
                    deliver_by=deliver_by,
                )
                for order in placed
            ],
            ignore_conflicts=True,  # the same key again: already recorded
        )
    return checkout
