"""What a gateway's statement of one China day and the platform's books
disagree on, for the daily reconciliation (orders.services.reconciliation,
docs/PAYMENTS.md "Reconciliation"). Reads only: the database filters the day,
and only the references and refund numbers the statement names are looked up,
in bulk; nothing loops over all payments."""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef
from django.utils import timezone

from orders.models import Mismatch, Payment, Refund, RefundStatus
from orders.providers.base import StatementLine

# The gateways' statements are by China's calendar day, whatever TIME_ZONE says.
CHINA = ZoneInfo("Asia/Shanghai")
K = Mismatch.Kind
LARGEST = Decimal("1e10")  # what a MONEY field holds (12 digits, 2 of them fen)


def china_day(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first instant of `day` in China and of the day after."""
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=CHINA)
    return start, start + datetime.timedelta(days=1)


def yesterday() -> datetime.date:
    """Yesterday in China: the day whose statements are ready this morning."""
    return timezone.now().astimezone(CHINA).date() - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Finding:
    """One mismatch as found; `key` says which finding of an earlier run it is."""

    kind: str
    reference: str = ""
    transaction_id: str = ""
    refund_number: str = ""
    payment: Payment | None = None
    refund: Refund | None = None
    our_amount: Decimal | None = None
    their_amount: Decimal | None = None

    @property
    def key(self) -> tuple:
        return (self.kind, self.reference, self.transaction_id, self.refund_number)


def _money(value) -> Decimal | None:
    """A statement's amount as a storable amount (None if it is not one)."""
    try:
        value = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return value if value.is_finite() and abs(value) < LARGEST else None


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None


def _payment_findings(code: str, day, lines: list[StatementLine]):
    """Findings about payments, and how many references were checked: each on
    the statement, looked up in bulk, and each we hold as paid that day (the
    database filters the day) that the statement does not name."""
    start, end = china_day(day)
    named = {_uuid(line.reference) for line in lines} - {None}
    held = Payment.objects.filter(provider=code).in_bulk(named, field_name="reference")
    findings, seen = [], set()
    for line in lines:
        payment = held.get(_uuid(line.reference))
        seen.add(line.reference)
        found = {
            "reference": str(line.reference)[:64],
            "transaction_id": str(line.transaction_id)[:64],
            "payment": payment,
            "our_amount": payment.amount if payment else None,
            "their_amount": _money(line.amount),
        }
        if payment is None:
            findings.append(Finding(K.UNKNOWN_REFERENCE, **found))
        elif payment.transaction_id is None:
            findings.append(Finding(K.PAID_NOT_RECORDED, **found))
        elif payment.transaction_id != line.transaction_id:
            findings.append(Finding(K.UNKNOWN_REFERENCE, **found))
        elif payment.amount != found["their_amount"]:
            findings.append(Finding(K.AMOUNT_DIFFERS, **found))
    # Applied from an earlier day's mismatch: paid here when applied, so on no
    # statement of that day.
    applied = Mismatch.objects.filter(
        payment=OuterRef("pk"), kind=K.PAID_NOT_RECORDED, resolved_at__isnull=False
    )
    missing = (
        Payment.objects.filter(
            provider=code,
            transaction_id__isnull=False,
            paid_at__gte=start,
            paid_at__lt=end,
        )
        .exclude(reference__in=named)
        .exclude(Exists(applied))
        .order_by("paid_at", "pk")
    )
    checked = len(seen)
    for payment in missing:
        checked += 1
        findings.append(
            Finding(
                K.RECORDED_NOT_PAID,
                reference=str(payment.reference),
                transaction_id=payment.transaction_id,
                payment=payment,
                our_amount=payment.amount,
            )
        )
    return findings, checked


def _refund_findings(code: str, day, lines: list[StatementLine]):
    """Findings about refunds, and how many were checked: each refund number on
    the statement, looked up in bulk, and each refund asked for that day that
    the statement does not name."""
    start, end = china_day(day)
    named = {str(line.refund_id) for line in lines}
    held = Refund.objects.filter(payment__provider=code).in_bulk(
        named, field_name="refund_id"
    )
    findings = []
    for line in lines:
        refund = held.get(str(line.refund_id))
        found = {
            "reference": str(line.reference)[:64],
            "transaction_id": str(line.transaction_id)[:64],
            "refund_number": str(line.refund_id)[:64],
            "refund": refund,
            "our_amount": refund.amount if refund else None,
            "their_amount": _money(line.amount),
        }
        if refund is None or refund.status == RefundStatus.FAILED:
            findings.append(Finding(K.REFUND_NOT_RECORDED, **found))
        elif refund.amount != found["their_amount"]:
            findings.append(Finding(K.REFUND_AMOUNT_DIFFERS, **found))
        elif refund.status == RefundStatus.PROCESSING:
            findings.append(Finding(K.REFUND_STILL_PROCESSING, **found))
    missing = (
        Refund.objects.filter(
            payment__provider=code, requested_at__gte=start, requested_at__lt=end
        )
        .exclude(refund_id__in=named)
        .select_related("payment")
        .order_by("requested_at", "pk")
    )
    checked = len(named)
    for refund in missing:
        checked += 1
        if refund.status == RefundStatus.FAILED:
            continue  # no money moved, and the gateway shows none
        kind = (
            K.REFUND_STILL_PROCESSING
            if refund.status == RefundStatus.PROCESSING
            else K.REFUND_NOT_AT_GATEWAY
        )
        findings.append(
            Finding(
                kind,
                reference=str(refund.payment.reference),
                refund_number=refund.refund_id,
                transaction_id=refund.provider_refund_id,
                refund=refund,
                our_amount=refund.amount,
            )
        )
    return findings, checked


def compare(code: str, day, lines: list[StatementLine]):
    """The findings of `code`'s statement of `day` (each once), and how many
    payments and refunds were checked."""
    payments = [line for line in lines if line.kind == "payment"]
    refunds = [line for line in lines if line.kind == "refund"]
    found, payments_checked = _payment_findings(code, day, payments)
    refund_found, refunds_checked = _refund_findings(code, day, refunds)
    findings = {}
    for finding in found + refund_found:
        findings.setdefault(finding.key, finding)
    return findings, payments_checked, refunds_checked
