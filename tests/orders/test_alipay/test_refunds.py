"""Refunds of a checkout paid through Alipay, through the project's services
(order_refund, order_refund_part): alipay.trade.refund with our refund number
as out_request_no, done at once when Alipay moved the money (fund_change Y),
else asked of the refund query, and settled by Alipay's refund notice, whose
refund_fee is what the trade has had refunded in all. A refusal or a timeout
changes nothing, and asking again uses the same refund number."""

from decimal import Decimal

import pytest
import requests
from django.core.exceptions import ValidationError
from django.utils import translation

from orders.models import OrderStatus, Payment, PaymentStatus, Refund, RefundStatus
from orders.providers.base import Buyer, Device
from orders.services.payments import payment_start
from orders.services.transitions import order_cancel, order_refund, order_refund_part
from tests.orders.test_alipay.fake import notification, post, refund_notice

pytestmark = pytest.mark.django_db
REFUND = "alipay.trade.refund"
REFUND_QUERY = "alipay.trade.fastpay.refund.query"


def orders_of(checkout):
    return list(checkout.orders.order_by("pk"))


def refunded(alipay, payment, amount, refund_id, fund_change="Y"):
    alipay.on(
        REFUND,
        fund_change=fund_change,
        out_trade_no=str(payment.reference),
        trade_no=payment.transaction_id,
        refund_fee=f"{amount:.2f}",
        buyer_logon_id="159****5620",
        buyer_user_id="2088102177846880",
    )


def confirmed(alipay, payment, amount, refund_id):
    alipay.on(
        REFUND_QUERY,
        out_trade_no=str(payment.reference),
        trade_no=payment.transaction_id,
        out_request_no=refund_id,
        total_amount=f"{payment.amount:.2f}",
        refund_amount=f"{amount:.2f}",
        refund_status="REFUND_SUCCESS",
    )


def test_a_full_refund_of_an_order(alipay, paid, staff):
    honey, _tea = orders_of(paid)
    payment = paid.payments.get()
    refund_id = f"{payment.reference}-{honey.pk}"
    refunded(alipay, payment, honey.total, refund_id)
    order_refund(order=honey, actor=staff)
    ((method, biz, _params),) = alipay.calls
    assert method == REFUND
    assert biz == {
        "refund_amount": f"{honey.total:.2f}",
        "out_trade_no": str(payment.reference),
        "out_request_no": refund_id,
    }
    refund = Refund.objects.get()
    assert (refund.refund_id, refund.amount, refund.status) == (
        refund_id,
        honey.total,
        RefundStatus.SUCCEEDED,
    )
    assert Payment.objects.get(pk=payment.pk).refunded == honey.total
    honey.refresh_from_db()
    assert honey.status == OrderStatus.REFUNDED


def test_a_part_refund_in_progress_is_settled_by_alipays_notice(
    client, keys, alipay, paid, staff
):
    """After a full refund of one order (10.00), 3.00 of the other: Alipay's
    notice says 13.00 refunded in all; the refund query says this one was 3.00."""
    honey, tea = orders_of(paid)
    payment = paid.payments.get()
    refunded(alipay, payment, honey.total, "")
    order_refund(order=honey, actor=staff)
    part = f"{payment.reference}-{tea.pk}-p1"
    refunded(alipay, payment, honey.total + 3, part, fund_change="N")
    alipay.on(REFUND_QUERY, out_request_no=part)  # not done yet: no refund_status
    order_refund_part(order=tea, actor=staff, amount=Decimal("3.00"))
    refund = Refund.objects.get(refund_id=part)
    assert (refund.amount, refund.status) == (Decimal("3.00"), RefundStatus.PROCESSING)
    assert alipay.methods() == [REFUND, REFUND, REFUND_QUERY]
    assert alipay.calls[-1][1] == {
        "out_request_no": part,
        "out_trade_no": str(payment.reference),
    }

    confirmed(alipay, payment, Decimal("3.00"), part)
    payment.refresh_from_db()
    notice = refund_notice(
        keys, payment, refund_id=part, refunded_in_all=honey.total + 3
    )
    response = post(client, notice)
    assert response.status_code == 200
    assert response.content == b"success"
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert refund.settled_at is not None
    assert Payment.objects.get(pk=payment.pk).refunded == honey.total + 3
    tea.refresh_from_db()
    assert tea.status == OrderStatus.PAID  # a part refund keeps the order


def test_the_notice_of_a_refund_already_done_changes_nothing(
    client, keys, alipay, paid, staff
):
    """Every order refunded in full: the trade is closed (TRADE_CLOSED)."""
    payment = paid.payments.get()
    for order in orders_of(paid):
        refunded(alipay, payment, order.total, "")
        order_refund(order=order, actor=staff)
    payment.refresh_from_db()
    last = Refund.objects.order_by("pk").last()
    confirmed(alipay, payment, last.amount, last.refund_id)
    notice = refund_notice(
        keys, payment, refund_id=last.refund_id, refunded_in_all=payment.amount
    )
    assert notice["trade_status"] == "TRADE_CLOSED"
    before = list(Refund.objects.values_list("status", "settled_at"))
    assert post(client, notice).status_code == 200
    assert list(Refund.objects.values_list("status", "settled_at")) == before


@pytest.fixture
def in_progress(alipay, paid, staff):
    """A 3.00 refund of the second order that Alipay has not finished."""
    _honey, tea = orders_of(paid)
    payment = paid.payments.get()
    refunded(alipay, payment, Decimal("3.00"), "", fund_change="N")
    alipay.on(REFUND_QUERY)
    order_refund_part(order=tea, actor=staff, amount=Decimal("3.00"))
    return Refund.objects.get()


@pytest.mark.parametrize(
    "query, refunded_in_all, reason",
    [
        ({}, "3.00", "does not confirm"),  # no refund_status
        ({"refund_status": "REFUND_SUCCESS", "refund_amount": "2.00"}, "3.00", "match"),
        (
            {"refund_status": "REFUND_SUCCESS", "refund_amount": "3.00"},
            "2.00",
            "add up",
        ),
        (
            {"refund_status": "REFUND_SUCCESS", "refund_amount": "3.0x"},
            "3.00",
            "refund query failed",
        ),
    ],
)
def test_a_refund_notice_alipay_does_not_bear_out_is_refused(
    client, keys, alipay, in_progress, query, refunded_in_all, reason
):
    alipay.on(REFUND_QUERY, **query)
    notice = refund_notice(
        keys,
        in_progress.payment,
        refund_id=in_progress.refund_id,
        refunded_in_all=Decimal(refunded_in_all),
    )
    response = post(client, notice)
    assert response.status_code == 400
    assert reason in response.json()["error"]
    in_progress.refresh_from_db()
    assert in_progress.status == RefundStatus.PROCESSING


def test_a_refund_notice_is_refused_when_the_refund_query_times_out(
    client, keys, alipay, in_progress
):
    """Not applied: Alipay sends the notice again later."""
    alipay.on(REFUND_QUERY, requests.exceptions.ReadTimeout())
    notice = refund_notice(
        keys,
        in_progress.payment,
        refund_id=in_progress.refund_id,
        refunded_in_all=Decimal("3.00"),
    )
    assert post(client, notice).status_code == 400
    in_progress.refresh_from_db()
    assert in_progress.status == RefundStatus.PROCESSING


def test_a_notice_of_a_refund_we_never_asked_for_is_refused(client, keys, alipay, paid):
    payment = paid.payments.get()
    confirmed(alipay, payment, Decimal("1.00"), "made-in-the-console-1")
    notice = refund_notice(
        keys, payment, refund_id="made-in-the-console-1", refunded_in_all=Decimal(1)
    )
    assert post(client, notice).status_code == 400
    assert Refund.objects.count() == 0


def test_a_refund_timeout_changes_nothing_and_asking_again_is_the_same_refund(
    alipay, paid, staff
):
    honey, _tea = orders_of(paid)
    payment = paid.payments.get()
    alipay.on(REFUND, requests.exceptions.ReadTimeout())
    with translation.override("en"), pytest.raises(ValidationError, match="answer"):
        order_refund(order=honey, actor=staff)
    honey.refresh_from_db()
    assert honey.status == OrderStatus.PAID
    assert Refund.objects.count() == 0
    assert Payment.objects.get(pk=payment.pk).refunded == 0
    # Asked again: the same out_request_no, which Alipay refunds once (its "N"
    # says no money moved this time; the refund query says it was done).
    refunded(alipay, payment, honey.total, "", fund_change="N")
    confirmed(alipay, payment, honey.total, f"{payment.reference}-{honey.pk}")
    order_refund(order=honey, actor=staff)
    first, again, _query = alipay.calls
    assert first[1]["out_request_no"] == again[1]["out_request_no"]
    assert Refund.objects.get().status == RefundStatus.SUCCEEDED


def test_a_refund_alipay_refuses_says_why_and_changes_nothing(alipay, paid, staff):
    honey, _tea = orders_of(paid)
    alipay.refuse(REFUND, "ACQ.SELLER_BALANCE_NOT_ENOUGH", "卖家余额不足")
    with pytest.raises(ValidationError, match="卖家余额不足"):
        order_refund(order=honey, actor=staff)
    honey.refresh_from_db()
    assert honey.status == OrderStatus.PAID
    assert Refund.objects.count() == 0


def test_a_refund_number_alipay_holds_for_another_amount_is_refused(
    alipay, paid, staff
):
    honey, _tea = orders_of(paid)
    payment = paid.payments.get()
    refunded(alipay, payment, honey.total, "", fund_change="N")
    confirmed(alipay, payment, Decimal("0.01"), "")
    with translation.override("en"), pytest.raises(ValidationError, match="another"):
        order_refund(order=honey, actor=staff)
    assert Refund.objects.count() == 0


def test_money_on_a_closed_trade_after_the_new_one_was_paid_goes_back_whole(
    client, keys, alipay, checkout
):
    """The buyer paid an Alipay page opened before the amount changed, after
    paying the new trade: that money is refunded in full, out_request_no
    `<reference>-whole`."""
    old = checkout.payments.get()
    order_cancel(order=orders_of(checkout)[1], actor=checkout.buyer)
    alipay.refuse("alipay.trade.close", "ACQ.TRADE_NOT_EXIST", "交易不存在")
    payment_start(checkout=checkout, buyer=Buyer(device=Device.MOBILE))
    new = checkout.payments.get(status=PaymentStatus.PENDING)
    assert post(client, notification(keys, new)).status_code == 200
    late = notification(keys, old)
    refunded(alipay, old, old.amount, f"{old.reference}-whole")
    assert post(client, late).status_code == 200
    assert alipay.calls[-1][1]["out_request_no"] == f"{old.reference}-whole"
    assert alipay.calls[-1][1]["refund_amount"] == f"{old.amount:.2f}"
    old.refresh_from_db()
    assert (old.status, old.transaction_id, old.refunded) == (
        PaymentStatus.CLOSED,
        late["trade_no"],
        old.amount,
    )
