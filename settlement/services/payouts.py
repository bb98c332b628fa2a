"""Payouts (docs/PAYMENTS.md, "Payouts"): the farmer's payout account, entered by
the farmer or their assistant and verified by the other of the two (the
assistant, for one the farmer entered); the payout run, which
pays every farmer with a verified account and an available balance of at least
PAYOUT_MINIMUM one payout, in one batch for the bank; and the batch's outcome,
paid with the bank's reference, or a payout failed and its money returned.

The run is idempotent: it locks the payouts-sent account first, so two runs at
once take turns, and the second finds nothing left to pay."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from assistants.selectors import assigned_farmers
from audit.models import AuditEvent
from audit.services import record
from notifications.models import Notification
from notifications.services import notify
from settlement.models import (
    Account,
    Entry,
    Payout,
    PayoutAccount,
    PayoutBatch,
    PayoutStatus,
)
from settlement.services.ledger import account, post

K = Account.Kind
E = Entry.Kind


def _assistant_of_farmer(farmer, user) -> bool:
    return (
        user.role == Role.ASSISTANT
        and assigned_farmers(user=user).filter(pk=farmer.pk).exists()
    )


def _refuse() -> ValidationError:
    return ValidationError(
        _("Only the farmer or their assistant can do this."), code="not_allowed"
    )


@transaction.atomic
def payout_account_save(*, farmer, actor, method, holder_name, number, bank_name=""):
    """The farmer or their assistant enters where payouts go (already validated by
    PayoutAccountForm). A new account is unverified until the other of the two
    checks it; they are told to (the farmer so learns of any change made for
    them)."""
    if actor.pk != farmer.user_id and not _assistant_of_farmer(farmer, actor):
        raise _refuse()
    saved = PayoutAccount.objects.select_for_update().filter(farmer=farmer).first()
    before = {"account": str(saved), "verified": saved.verified} if saved else {}
    saved = saved or PayoutAccount(farmer=farmer)
    saved.method, saved.holder_name = method, holder_name
    saved.bank_name, saved.number = bank_name, number
    saved.entered_by, saved.entered_at = actor, timezone.now()
    saved.verified_by = saved.verified_at = None
    saved.save()
    record(
        actor=actor,
        action=AuditEvent.Action.PAYOUT_ACCOUNT_ENTERED,
        subject=saved,
        farmer=farmer,
        before=before,
        after={"account": str(saved), "verified": False},
    )
    for checker in _checkers(farmer, entered_by=actor):
        notify(
            recipient=checker,
            kind=Notification.Kind.PAYOUT_ACCOUNT_TO_CHECK,
            farmer=farmer,
        )
    return saved


def _checkers(farmer, *, entered_by) -> list:
    """Who must check an account `entered_by` entered: the farmer's assistant if
    the farmer entered it, else the farmer."""
    if entered_by.pk != farmer.user_id:
        return [farmer.user]
    assignment = farmer.assignments.filter(ended_on__isnull=True).first()
    return [assignment.assistant.user] if assignment is not None else []


def may_verify(account: PayoutAccount, user) -> bool:
    """Whether `user` may verify `account`: never whoever entered it; the
    farmer's assistant an account the farmer entered, and the farmer one their
    assistant entered for them (four eyes on where the money goes)."""
    if user.pk == account.entered_by_id:
        return False
    farmer = account.farmer
    if user.pk == farmer.user_id:
        return True
    return _assistant_of_farmer(farmer, user)


@transaction.atomic
def payout_account_verify(*, farmer, actor, seen: str) -> PayoutAccount:
    """The account is confirmed as the farmer's own: by their assistant, who
    checked it with the farmer in person or by phone, or by the farmer, for one
    their assistant entered. `seen` is the entered_at (ISO) of the account the
    verifier was shown: one changed since is not verified."""
    saved = (
        PayoutAccount.objects.select_for_update()
        .select_related("farmer")
        .filter(farmer=farmer)
        .first()
    )
    if saved is None:
        raise ValidationError(
            _("There is no payout account to verify yet."), code="no_account"
        )
    if not may_verify(saved, actor):
        raise ValidationError(
            _(
                "Whoever entered the payout account cannot verify it: the "
                "farmer's assistant verifies an account the farmer entered, and "
                "the farmer one the assistant entered."
            ),
            code="not_allowed",
        )
    if seen != saved.entered_at.isoformat():
        raise ValidationError(
            _(
                "The payout account was changed after you opened the page. "
                "Check the new one before verifying it."
            ),
            code="changed",
        )
    if saved.verified:
        return saved
    saved.verified_by, saved.verified_at = actor, timezone.now()
    saved.save(update_fields=["verified_by", "verified_at"])
    record(
        actor=actor,
        action=AuditEvent.Action.PAYOUT_ACCOUNT_VERIFIED,
        subject=saved,
        farmer=farmer,
        before={"verified": False},
        after={"account": str(saved), "verified": True},
    )
    return saved


def payable_accounts():
    """The farmers' available accounts owed at least the payout minimum."""
    return Account.objects.filter(
        kind=K.FARMER_AVAILABLE, balance__lte=-Decimal(settings.PAYOUT_MINIMUM)
    )


@transaction.atomic
def payout_run(*, actor=None) -> tuple[PayoutBatch | None, int]:
    """Pay every farmer who can be paid, in one new batch; returns the batch
    (None if nobody was due) and how many farmers are held for want of a
    verified account (their assistants are told)."""
    sent = account(K.PAYOUTS_SENT)
    Account.objects.select_for_update().get(pk=sent.pk)  # one run at a time
    due = list(
        payable_accounts()
        .select_for_update(of=("self",))
        .select_related("farmer__user", "farmer__payout_account")
        .order_by("pk")
    )
    paid = [a for a in due if _verified(a.farmer)]
    held = [a for a in due if not _verified(a.farmer)]
    for acct in held:
        _tell_held(acct.farmer)
    if not paid:
        return None, len(held)
    batch = PayoutBatch.objects.create(
        created_by=actor, total=-sum(a.balance for a in paid)
    )
    for acct in paid:
        to = acct.farmer.payout_account
        payout = Payout.objects.create(
            batch=batch,
            farmer=acct.farmer,
            amount=-acct.balance,
            method=to.method,
            holder_name=to.holder_name,
            bank_name=to.bank_name,
            number=to.number,
        )
        post(
            E.PAYOUT,
            f"payout:{payout.pk}",
            [(acct, payout.amount), (sent, -payout.amount)],
            payout=payout,
            batch=batch,
        )
        notify(
            recipient=acct.farmer.user,
            kind=Notification.Kind.PAYOUT_SENT,
            farmer=acct.farmer,
        )
    if actor is not None:
        record(
            actor=actor,
            action=AuditEvent.Action.PAYOUT_RUN,
            subject=batch,
            after={"payouts": len(paid), "total": str(batch.total)},
        )
    return batch, len(held)


def _verified(farmer) -> bool:
    to = getattr(farmer, "payout_account", None)
    return to is not None and to.verified


def _tell_held(farmer) -> None:
    """The farmer and their assistant must act: the farmer's payout waits for a
    verified account."""
    notify(recipient=farmer.user, kind=Notification.Kind.PAYOUT_HELD, farmer=farmer)
    assignment = farmer.assignments.filter(ended_on__isnull=True).first()
    if assignment is not None:
        notify(
            recipient=assignment.assistant.user,
            kind=Notification.Kind.PAYOUT_HELD,
            farmer=farmer,
        )


def _staff(actor) -> None:
    if actor.role != Role.STAFF:
        raise ValidationError(_("Only platform staff can do this."), code="staff")


@transaction.atomic
def batch_mark_paid(*, batch: PayoutBatch, actor, bank_reference: str) -> PayoutBatch:
    """The bank paid the batch: its payouts not failed are paid."""
    _staff(actor)
    # Lock order: the batch, then its payouts (as payout_fail).
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == PayoutBatch.Status.PAID:
        raise ValidationError(_("This batch is already marked paid."), code="paid")
    payouts = batch.payouts.filter(status=PayoutStatus.SENT)
    amounts = list(payouts.select_for_update().values_list("amount", flat=True))
    total = sum(amounts, Decimal(0))
    post(
        E.PAYOUT_PAID,
        f"batch_paid:{batch.pk}",
        [(account(K.PAYOUTS_SENT), total), (account(K.BANK), -total)],
        batch=batch,
    )
    payouts.update(status=PayoutStatus.PAID)
    batch.status, batch.bank_reference = PayoutBatch.Status.PAID, bank_reference
    batch.paid_at, batch.paid_by = timezone.now(), actor
    batch.save()
    record(
        actor=actor,
        action=AuditEvent.Action.PAYOUT_BATCH_PAID,
        subject=batch,
        after={"bank_reference": bank_reference, "paid": str(total)},
    )
    return batch


@transaction.atomic
def payout_fail(*, payout: Payout, actor, reason: str) -> Payout:
    """The bank could not pay this farmer (a closed account, a wrong name): the
    money goes back to their available balance, for the next run."""
    _staff(actor)
    # Lock order: the batch, then the payout (as batch_mark_paid), so the batch
    # is not marked paid with this payout's money while it fails.
    batch_id = Payout.objects.values_list("batch_id", flat=True).get(pk=payout.pk)
    PayoutBatch.objects.select_for_update().get(pk=batch_id)
    locked = Payout.objects.select_for_update(of=("self",)).select_related("batch")
    payout = locked.get(pk=payout.pk)
    if payout.status == PayoutStatus.FAILED:
        raise ValidationError(_("This payout is already marked failed."), code="failed")
    # Before the batch is paid the money is still in transit; after, the bank
    # returned it.
    source = K.BANK if payout.status == PayoutStatus.PAID else K.PAYOUTS_SENT
    post(
        E.PAYOUT_FAILED,
        f"payout_failed:{payout.pk}",
        [
            (account(source), payout.amount),
            (account(K.FARMER_AVAILABLE, farmer=payout.farmer), -payout.amount),
        ],
        payout=payout,
        batch=payout.batch,
    )
    before = payout.status
    payout.status, payout.failed_reason = PayoutStatus.FAILED, reason
    payout.failed_at = timezone.now()
    payout.save(update_fields=["status", "failed_reason", "failed_at"])
    record(
        actor=actor,
        action=AuditEvent.Action.PAYOUT_FAILED,
        subject=payout,
        farmer=payout.farmer,
        before={"status": before},
        after={"status": payout.status},
        note=reason,
    )
    notify(
        recipient=payout.farmer.user,
        kind=Notification.Kind.PAYOUT_FAILED,
        farmer=payout.farmer,
    )
    return payout
