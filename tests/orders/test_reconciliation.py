"""The daily payment reconciliation compares a gateway's statement of one China
day with the platform's payments and refunds: a day that matches records no
mismatch, each kind of disagreement is recorded once, a rerun of the day never
duplicates, the day's edges are China's midnight, a gateway that does not answer
records nothing, and the statement's references are looked up in bulk. The
gateway is tests/orders/fake_gateway.py's; the counts expected are counted here
from the rows, not by the service's code."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from orders.models import Mismatch, Payment, Reconciliation, Refund, RefundStatus
from orders.providers.base import ProviderUnavailable, StatementLine
from orders.services.reconciliation import reconcile, reconcile_all
from orders.services.transitions import order_refund
from tests.factories import UserFactory
from tests.orders.fake_gateway import CHINA, DAY, NOON, checkout_of, pay

pytestmark = pytest.mark.django_db
K = Mismatch.Kind
NEXT_DAY = DAY + datetime.timedelta(days=1)


def run(day=DAY) -> Reconciliation:
    return reconcile(provider_code="wechat", day=day)


def found(day=DAY) -> list[tuple]:
    """(kind, reference, our amount, their amount) of the day's mismatches."""
    return sorted(
        Mismatch.objects.filter(reconciliation__day=day).values_list(
            "kind", "reference", "our_amount", "their_amount"
        )
    )


def refund_of(checkout, *, at=NOON) -> Refund:
    """Staff refund the checkout's paid order (the project's service); the
    refund is dated `at`."""
    order_refund(order=checkout.orders.get(), actor=UserFactory(role=Role.STAFF))
    refund = Refund.objects.get(payment__checkout=checkout)
    Refund.objects.filter(pk=refund.pk).update(requested_at=at)
    refund.refresh_from_db()
    return refund


def checked(gateway, day=DAY) -> tuple[int, int]:
    """What a run of `day` checks, counted from the rows and the statement: the
    references named by the statement or paid here that day, and the refund
    numbers named by it or asked for here that day."""
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=CHINA)
    end = start + datetime.timedelta(days=1)
    lines = gateway.lines.get(day, [])
    ours = Payment.objects.filter(
        provider="wechat", paid_at__gte=start, paid_at__lt=end
    ).values_list("reference", flat=True)
    refunds = Refund.objects.filter(
        requested_at__gte=start, requested_at__lt=end
    ).values_list("refund_id", flat=True)
    references = {line.reference for line in lines if line.kind == "payment"}
    numbers = {line.refund_id for line in lines if line.kind == "refund"}
    return len(references | {str(r) for r in ours}), len(numbers | set(refunds))


def test_a_day_that_matches_records_nothing(gateway):
    for _ in range(3):
        gateway.took(pay(checkout_of()))
    refunded = checkout_of()
    gateway.took(pay(refunded))
    gateway.refunded(refund_of(refunded))
    result = run()
    assert found() == []
    counted = checked(gateway)
    assert (result.payments_checked, result.refunds_checked) == counted == (4, 1)
    assert result.mismatch_count == Mismatch.objects.count() == 0


def test_a_payment_the_notification_never_told_us_of(gateway):
    payment = checkout_of().payments.get()
    gateway.took(payment)
    run()
    mismatch = Mismatch.objects.get()
    assert (mismatch.kind, mismatch.payment, mismatch.is_open) == (
        K.PAID_NOT_RECORDED,
        payment,
        True,
    )
    assert mismatch.our_amount == mismatch.their_amount == payment.amount


def test_money_for_a_reference_we_do_not_have(gateway):
    stranger, garbled = str(uuid.uuid4()), "not-a-uuid"
    for reference in (stranger, garbled):
        gateway.lines.setdefault(DAY, []).append(
            StatementLine("payment", reference, "WX1" + reference[:4], Decimal("9"))
        )
    run()
    assert found() == sorted(
        [
            (K.UNKNOWN_REFERENCE, stranger, None, Decimal("9.00")),
            (K.UNKNOWN_REFERENCE, garbled, None, Decimal("9.00")),
        ]
    )


def test_a_second_transaction_on_a_paid_reference_is_unknown_money(gateway):
    payment = pay(checkout_of())
    gateway.took(payment)
    gateway.took(payment, transaction_id="WXSECOND")
    run()
    mismatch = Mismatch.objects.get()
    assert (mismatch.kind, mismatch.transaction_id) == (
        K.UNKNOWN_REFERENCE,
        "WXSECOND",
    )


def test_paid_here_and_not_at_the_gateway(gateway):
    payment = pay(checkout_of())
    run()
    assert found() == [
        (K.RECORDED_NOT_PAID, str(payment.reference), payment.amount, None)
    ]


def test_the_amounts_differ(gateway):
    payment = pay(checkout_of())
    gateway.took(payment, amount=payment.amount - 1)
    run()
    assert found() == [
        (K.AMOUNT_DIFFERS, str(payment.reference), payment.amount, payment.amount - 1)
    ]


def test_refund_kinds(gateway):
    """Refunded at the gateway only (a number we do not have, or a refund that
    failed here); here only; for another amount; still in progress, named by
    the statement or not. A refund that matches, and a failed one the
    statement does not name, are no mismatch."""
    checkouts = [checkout_of() for _ in range(6)]
    for checkout in checkouts:
        gateway.took(pay(checkout))
    matched, here_only, other_amount, failed, failed_there = (
        refund_of(checkout) for checkout in checkouts[:5]
    )
    gateway.refunded(matched)
    gateway.refunded(other_amount, amount=other_amount.amount - Decimal("0.01"))
    gateway.refunded(failed_there)
    failing = Refund.objects.filter(pk__in=[failed.pk, failed_there.pk])
    failing.update(status=RefundStatus.FAILED)
    stranger = StatementLine("refund", "x", "RT1", Decimal("3"), refund_id="R-x")
    gateway.lines[DAY].append(stranger)
    gateway.refunds_at_once = False
    processing = refund_of(checkouts[5])
    assert processing.status == RefundStatus.PROCESSING
    result = run()
    kinds = dict(Mismatch.objects.values_list("refund_number", "kind"))
    assert kinds == {
        "R-x": K.REFUND_NOT_RECORDED,
        failed_there.refund_id: K.REFUND_NOT_RECORDED,
        here_only.refund_id: K.REFUND_NOT_AT_GATEWAY,
        other_amount.refund_id: K.REFUND_AMOUNT_DIFFERS,
        processing.refund_id: K.REFUND_STILL_PROCESSING,
    }
    assert Mismatch.objects.get(refund_number="R-x").refund is None
    assert result.refunds_checked == checked(gateway)[1] == 7
    gateway.refunded(processing)  # on the statement, yet not settled here
    run()
    assert Mismatch.objects.get(refund=processing).kind == K.REFUND_STILL_PROCESSING


def test_a_rerun_of_the_day_never_duplicates(gateway):
    """A finding already recorded keeps its row, a resolved one stays resolved,
    and an open one settled meanwhile (its late notification arrived) goes."""
    missing = checkout_of().payments.get()
    gateway.took(missing)
    late = checkout_of()
    late_transaction = gateway.took(late.payments.get())
    extra = pay(checkout_of())
    first = run()
    before = dict(Mismatch.objects.values_list("reference", "pk"))
    assert len(before) == 3
    resolved = Mismatch.objects.get(payment=extra)
    Mismatch.objects.filter(pk=resolved.pk).update(
        resolved_at=NOON, note="Checked with the gateway."
    )
    pay(late, transaction_id=late_transaction)
    again = run()
    assert again.pk == first.pk and Reconciliation.objects.count() == 1
    after = dict(Mismatch.objects.values_list("reference", "pk"))
    assert after == {
        str(missing.reference): before[str(missing.reference)],
        str(extra.reference): resolved.pk,
    }
    assert Mismatch.objects.get(pk=resolved.pk).note == "Checked with the gateway."
    assert again.mismatch_count == Mismatch.objects.filter(reconciliation=again).count()
    run()
    assert dict(Mismatch.objects.values_list("reference", "pk")) == after


def test_the_day_is_chinas_calendar_day(gateway):
    """23:59:59 China time is the day itself, 00:00:01 the next (both the same
    UTC date: a UTC day would mix them up)."""
    late = pay(
        checkout_of(), at=datetime.datetime(2026, 3, 10, 23, 59, 59, tzinfo=CHINA)
    )
    early = pay(checkout_of(), at=datetime.datetime(2026, 3, 11, 0, 0, 1, tzinfo=CHINA))
    assert late.paid_at.astimezone(datetime.UTC).date() == DAY
    assert early.paid_at.astimezone(datetime.UTC).date() == DAY
    gateway.took(late, DAY)
    gateway.took(early, NEXT_DAY)
    assert (run(DAY).payments_checked, run(NEXT_DAY).payments_checked) == (1, 1)
    assert found(DAY) == found(NEXT_DAY) == []
    gateway.lines.clear()
    run(DAY)
    run(NEXT_DAY)
    assert [reference for _, reference, *_ in found(DAY)] == [str(late.reference)]
    assert [reference for _, reference, *_ in found(NEXT_DAY)] == [str(early.reference)]


def test_a_gateway_that_does_not_answer_records_nothing(gateway):
    gateway.took(checkout_of().payments.get())
    gateway.failures = 1
    with pytest.raises(ProviderUnavailable):
        run()
    assert not Reconciliation.objects.exists()
    assert not Mismatch.objects.exists()


def test_every_reconciling_provider_is_run_for_yesterday(gateway, settings):
    """The simulated gateway and pay on delivery do not reconcile (asking the
    simulated one for a statement would raise NotImplementedError)."""
    runs = reconcile_all()
    yesterday = datetime.datetime.now(CHINA).date() - datetime.timedelta(days=1)
    assert gateway.asked == [yesterday]
    assert [(r.provider, r.day) for r in runs] == [("wechat", yesterday)]
    settings.PAYMENT_PROVIDERS = ["simulated"]
    assert reconcile_all(day=DAY) == []


def test_the_statement_is_looked_up_in_bulk(gateway):
    """The queries do not grow with the statement's lines or the mismatches."""

    def queries(day, count) -> int:
        for _ in range(count):
            gateway.took(checkout_of().payments.get(), day)
            gateway.took(pay(checkout_of(), at=NOON.replace(day=day.day)), day)
        with CaptureQueriesContext(connection) as captured:
            run(day)
        assert Mismatch.objects.filter(reconciliation__day=day).count() == count
        return len(captured)

    assert queries(DAY, 2) == queries(NEXT_DAY, 12)
