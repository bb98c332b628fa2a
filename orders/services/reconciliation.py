"""The daily payment reconciliation (docs/PAYMENTS.md, "Reconciliation"): a
provider's statement of one China day compared with the payments paid and the
refunds asked for that day, every disagreement recorded as a Mismatch in one
transaction, and staff told. Staff resolve a mismatch with a note, or apply a
payment the gateway took whose notification never arrived: the gateway is asked
again, and its answer goes through the callback's own path (`_payment_paid`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.models import AuditEvent
from audit.services import record
from notifications.models import Notification
from notifications.services import notify
from orders.models import Mismatch, Payment, Reconciliation, WebhookReceipt
from orders.providers import PROVIDERS, enabled_providers
from orders.providers.base import (
    Callback,
    InvalidCallback,
    PaymentState,
    ProviderError,
    ProviderUnavailable,
    StatementLine,
)
from orders.services.payments import _payment_paid
from orders.statements import Finding, compare, yesterday

K = Mismatch.Kind


def _run_for(code: str, day) -> Reconciliation:
    """The day's run, locked (made if this is the first; a parallel first run
    waits on the unique index, then finds it)."""
    Reconciliation.objects.get_or_create(
        provider=code, day=day, defaults={"ran_at": timezone.now()}
    )
    return Reconciliation.objects.select_for_update().get(provider=code, day=day)


def _fields(finding: Finding) -> dict:
    return {
        "kind": finding.kind,
        "reference": finding.reference,
        "transaction_id": finding.transaction_id,
        "refund_number": finding.refund_number,
        "payment": finding.payment,
        "refund": finding.refund,
        "our_amount": finding.our_amount,
        "their_amount": finding.their_amount,
    }


@transaction.atomic
def _record(code: str, day, lines: list[StatementLine]) -> Reconciliation:
    """Compare and record, in one transaction. Run again, a finding already
    recorded keeps its row (an open one takes the new amounts, a resolved one is
    left as resolved), an open one no longer found is removed (it was settled
    meanwhile), and only new findings are added: never a duplicate."""
    run = _run_for(code, day)
    findings, payments_checked, refunds_checked = compare(code, day, lines)
    existing = {
        (m.kind, m.reference, m.transaction_id, m.refund_number): m
        for m in run.mismatches.select_for_update().order_by("pk")
    }
    new = []
    for key, finding in findings.items():
        mismatch = existing.pop(key, None)
        if mismatch is None:
            new.append(Mismatch(reconciliation=run, **_fields(finding)))
        elif mismatch.is_open:
            fields = _fields(finding)
            changed = [n for n, v in fields.items() if getattr(mismatch, n) != v]
            for name in changed:
                setattr(mismatch, name, fields[name])
            if changed:
                mismatch.save(update_fields=changed)
    gone = [m.pk for m in existing.values() if m.is_open]
    Mismatch.objects.filter(pk__in=gone).delete()
    Mismatch.objects.bulk_create(new)
    run.ran_at = timezone.now()
    run.payments_checked = payments_checked
    run.refunds_checked = refunds_checked
    run.mismatch_count = run.mismatches.count()
    run.save()
    if new:
        _tell_staff(run)
    return run


def _tell_staff(run: Reconciliation) -> None:
    """Every active staff member is told there are payments to check."""
    reason = f"{run.day.isoformat()} {run.provider}"[:20]
    staff = User.objects.filter(role=Role.STAFF, is_active=True).order_by("pk")
    for user in staff:
        notify(recipient=user, kind=Notification.Kind.PAYMENTS_TO_CHECK, reason=reason)


def reconcile(*, provider_code: str, day: datetime.date) -> Reconciliation:
    """Check `provider_code`'s statement of `day` (China time) against the
    platform and record the mismatches. The statement is asked for before any
    transaction: a provider that does not answer (ProviderUnavailable) or
    refuses (ProviderError) records nothing, and the error is raised so the task
    tries again."""
    provider = PROVIDERS[provider_code]
    lines = provider.statement(day)
    return _record(provider_code, day, list(lines))


def reconcile_all(*, day: datetime.date | None = None) -> list[Reconciliation]:
    """Reconcile `day` (yesterday, China time) for every enabled provider that
    reconciles. A provider that fails does not stop the others; the first
    failure is raised at the end (a rerun repeats the others harmlessly)."""
    day = day or yesterday()
    runs, failures = [], []
    for code, provider in enabled_providers().items():
        if not provider.reconciles:
            continue
        try:
            runs.append(reconcile(provider_code=code, day=day))
        except ProviderError as exc:
            failures.append(exc)
    if failures:
        raise failures[0]
    return runs


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _locked_open(mismatch: Mismatch) -> Mismatch:
    mismatch = Mismatch.objects.select_for_update().get(pk=mismatch.pk)
    if not mismatch.is_open:
        _refuse(_("This mismatch was already resolved."), "resolved")
    return mismatch


def _audit(mismatch: Mismatch, actor, action: str, before: dict, after: dict):
    record(
        actor=actor,
        action=action,
        subject=mismatch,
        before={"resolved_at": None, **before},
        after={"resolved_at": mismatch.resolved_at, **after},
        note=mismatch.note,
    )


@transaction.atomic
def mismatch_resolve(*, mismatch: Mismatch, actor, note: str) -> Mismatch:
    """Staff say how a mismatch was settled (a note is required); audited."""
    note = (note or "").strip()
    if not note:
        _refuse(_("Say how it was resolved: a note is required."), "note")
    mismatch = _locked_open(mismatch)
    mismatch.resolved_at = timezone.now()
    mismatch.resolved_by = actor
    mismatch.note = note[:500]
    mismatch.save(update_fields=["resolved_at", "resolved_by", "note"])
    _audit(mismatch, actor, AuditEvent.Action.MISMATCH_RESOLVED, {}, {})
    return mismatch


def _paid_at_gateway(payment: Payment):
    """The gateway's answer that `payment` was paid its amount, or a refusal."""
    try:
        answer = PROVIDERS[payment.provider].query(payment)
    except ProviderUnavailable:
        _refuse(
            _(
                "The payment service did not answer, so nothing was changed. "
                "Please try again in a minute."
            ),
            "provider_unavailable",
        )
    except ProviderError as exc:
        _refuse(
            _("The payment service refused: %(reason)s") % {"reason": exc},
            "provider_refused",
        )
    if answer.state != PaymentState.PAID or not answer.transaction_id:
        _refuse(
            _(
                "The gateway does not say this payment was paid, so nothing was "
                "changed."
            ),
            "not_paid",
        )
    if answer.amount != payment.amount:
        _refuse(
            _(
                "The gateway says ¥%(theirs)s was paid, not ¥%(ours)s, so nothing "
                "was changed."
            )
            % {"theirs": answer.amount, "ours": payment.amount},
            "amount",
        )
    return answer


def mismatch_apply(*, mismatch: Mismatch, actor) -> Mismatch:
    """Take a payment the gateway took whose notification never arrived: the
    gateway is asked (before any lock is taken), and only if it says paid, with
    the payment's amount, is its answer applied as a callback would be; then the
    mismatch is resolved. Anything else is refused and changes nothing."""
    if mismatch.kind != K.PAID_NOT_RECORDED or mismatch.payment_id is None:
        _refuse(_("Only a payment the gateway took can be applied."), "kind")
    if not mismatch.is_open:
        _refuse(_("This mismatch was already resolved."), "resolved")
    payment = Payment.objects.get(pk=mismatch.payment_id)
    answer = _paid_at_gateway(payment)
    with transaction.atomic():
        mismatch = _locked_open(mismatch)
        callback = Callback(
            reference=payment.reference,
            transaction_id=answer.transaction_id[:64],
            amount=answer.amount,
            nonce=f"query-{answer.transaction_id}"[:64],
        )
        try:
            with transaction.atomic():
                WebhookReceipt.objects.create(
                    provider=payment.provider, nonce=callback.nonce
                )
        except IntegrityError:
            pass  # applied before from another day's mismatch: idempotent below
        try:
            paid = _payment_paid(payment.provider, callback)
        except InvalidCallback as exc:
            _refuse(
                _("The payment could not be applied: %(reason)s") % {"reason": exc},
                "not_applied",
            )
        mismatch.resolved_at = timezone.now()
        mismatch.resolved_by = actor
        mismatch.note = Mismatch.APPLIED_NOTE
        mismatch.save(update_fields=["resolved_at", "resolved_by", "note"])
        before = {"payment.status": payment.status}
        after = {"payment.status": paid.status}
        _audit(mismatch, actor, AuditEvent.Action.MISMATCH_APPLIED, before, after)
        return mismatch
