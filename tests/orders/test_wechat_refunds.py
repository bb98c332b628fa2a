"""WeChat Pay refunds, through the project's services on a checkout paid by a
WeChat Pay notification: a staff refund in full or in part is sent with its
refund number and amounts in fen, a refusal changes nothing and the retry is
the same refund number, and the refund notification (SUCCESS, ABNORMAL) settles
the Refund row. Also: asking WeChat Pay about a payment (each trade state), and
closing one (a paid one cannot be, one WeChat never had is closed). A refund
that failed is told to staff and sent again under a new refund number."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from accounts.models import Role
from audit.models import AuditEvent
from notifications.models import Notification
from orders.models import (
    OrderStatus,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
    WebhookReceipt,
)
from orders.providers import PROVIDERS
from orders.providers.base import PaymentState, ProviderError
from orders.providers.wechat_client import fen
from orders.services.refunds import refund_retry
from orders.services.transitions import order_cancel, order_refund, order_refund_part
from tests.factories import UserFactory
from tests.orders.conftest import SITE_URL
from tests.orders.wechat_gateway import MCHID

pytestmark = pytest.mark.django_db
URL = "/orders/webhooks/wechat/"
REFUNDS = "/v3/refund/domestic/refunds"
WECHAT = PROVIDERS["wechat"]


def post(client, body, headers):
    client.raise_request_exception = False
    return client.post(URL, data=body, content_type="application/json", headers=headers)


@pytest.fixture
def paid(client, wechat, paying):
    """The checkout, paid by a WeChat Pay notification."""
    payment = paying.payments.get()
    notification = wechat.notification("TRANSACTION.SUCCESS", wechat.paid(payment))
    assert post(client, *notification).status_code == 200
    return paying


def refund_answer(status="PROCESSING"):
    """WeChat Pay's answer to a refund request, for what was asked."""

    def answer(sent):
        return {
            "refund_id": "50000000382019052709732678859",
            "out_refund_no": sent["out_refund_no"],
            "transaction_id": "4200000000000000000000000000",
            "out_trade_no": sent["out_trade_no"],
            "channel": "ORIGINAL",
            "user_received_account": "招商银行信用卡0403",
            "create_time": "2025-05-20T13:29:35+08:00",
            "status": status,
            "funds_account": "AVAILABLE",
            "amount": {
                "total": sent["amount"]["total"],
                "refund": sent["amount"]["refund"],
                "payer_total": sent["amount"]["total"],
                "payer_refund": sent["amount"]["refund"],
                "settlement_refund": sent["amount"]["refund"],
                "settlement_total": sent["amount"]["total"],
                "discount_refund": 0,
                "currency": "CNY",
            },
        }

    return answer


def staff():
    return UserFactory(role=Role.STAFF)


def test_a_staff_refund_in_full_is_sent_and_its_notification_settles_it(
    client, wechat, paid
):
    order = paid.orders.order_by("pk").first()
    payment = paid.payments.get()
    wechat.answer("POST", REFUNDS, refund_answer("PROCESSING"))
    order_refund(order=order, actor=staff())
    [sent] = wechat.bodies(REFUNDS)
    assert sent == {
        "notify_url": f"{SITE_URL}/orders/webhooks/wechat/",
        "out_refund_no": f"{payment.reference}-{order.pk}",
        "amount": {
            "refund": fen(order.total),
            "total": fen(payment.amount),
            "currency": "CNY",
        },
        "out_trade_no": payment.reference.hex,
    }
    refund = Refund.objects.get()
    assert (refund.status, refund.amount) == (RefundStatus.PROCESSING, order.total)
    assert refund.provider_refund_id == "50000000382019052709732678859"
    assert Payment.objects.get(pk=payment.pk).refunded == order.total

    body, headers = wechat.notification("REFUND.SUCCESS", wechat.refunded(refund))
    response = post(client, body, headers)
    assert response.status_code == 200
    assert response.json()["code"] == "SUCCESS"
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED and refund.settled_at
    # Told again (a new delivery): nothing changes.
    settled_at = refund.settled_at
    resent = wechat.notification("REFUND.SUCCESS", wechat.refunded(refund))
    assert post(client, *resent).status_code == 200
    assert Refund.objects.get(pk=refund.pk).settled_at == settled_at
    assert post(client, body, headers).status_code == 409


def test_a_part_refund_done_at_once_is_settled(wechat, paid):
    order = paid.orders.order_by("pk").first()
    wechat.answer("POST", REFUNDS, refund_answer("SUCCESS"))
    order_refund_part(order=order, actor=staff(), amount=Decimal("1.07"))
    [sent] = wechat.bodies(REFUNDS)
    assert sent["amount"]["refund"] == 107
    assert sent["amount"]["total"] == fen(paid.payments.get().amount)
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.SUCCEEDED and refund.settled_at
    assert refund.refund_id.endswith("-p1")
    assert paid.orders.get(pk=order.pk).status == OrderStatus.PAID


@pytest.mark.parametrize("status", ["ABNORMAL", "CLOSED"])
def test_a_refund_that_fails_gives_the_money_back_to_the_payment(
    client, wechat, paid, status
):
    order = paid.orders.order_by("pk").first()
    wechat.answer("POST", REFUNDS, refund_answer("PROCESSING"))
    order_cancel(order=order, actor=paid.buyer)
    refund = Refund.objects.get()
    notification = wechat.notification(
        f"REFUND.{status}", wechat.refunded(refund, status)
    )
    assert post(client, *notification).status_code == 200
    refund.refresh_from_db()
    assert refund.status == RefundStatus.FAILED
    assert Payment.objects.get(pk=refund.payment_id).refunded == 0


def test_a_failed_refund_is_told_to_staff_and_sent_again_under_a_new_number(
    client, wechat, paid
):
    order = paid.orders.order_by("pk").first()
    desk = staff()
    wechat.answer("POST", REFUNDS, refund_answer("PROCESSING"))
    order_cancel(order=order, actor=paid.buyer)
    failed = Refund.objects.get()
    notification = wechat.notification(
        "REFUND.ABNORMAL", failed_resource(wechat, failed)
    )
    assert post(client, *notification).status_code == 200
    told = Notification.objects.get(
        recipient=desk, kind=Notification.Kind.REFUND_FAILED
    )
    assert told.order_id == order.pk
    failed.refresh_from_db()

    # WeChat refuses the retry: nothing changes, the refund is still owed.
    wechat.answer(
        "POST",
        REFUNDS,
        {"code": "NOT_ENOUGH", "message": "基本账户余额不足"},
        status=403,
    )
    with pytest.raises(ValidationError, match="余额不足"):
        refund_retry(refund=failed, actor=desk)
    assert Refund.objects.count() == 1
    assert Payment.objects.get(pk=failed.payment_id).refunded == 0

    wechat.answer("POST", REFUNDS, refund_answer("PROCESSING"))
    again = refund_retry(refund=failed, actor=desk)
    *_refused, sent = wechat.bodies(REFUNDS)
    assert sent["out_refund_no"] == f"{failed.refund_id}-r1" == again.refund_id
    assert sent["amount"]["refund"] == fen(failed.amount)
    assert (again.retry_of_id, again.status) == (failed.pk, RefundStatus.PROCESSING)
    assert Payment.objects.get(pk=failed.payment_id).refunded == failed.amount
    with override("en"):
        with pytest.raises(ValidationError, match="already been sent again"):
            refund_retry(refund=failed, actor=desk)
        with pytest.raises(ValidationError, match="Only a refund that failed"):
            refund_retry(refund=again, actor=desk)

    # The retry fails too: it is owed once more, and the next number is -r2.
    notification = wechat.notification(
        "REFUND.ABNORMAL", failed_resource(wechat, again)
    )
    assert post(client, *notification).status_code == 200
    third = refund_retry(refund=Refund.objects.get(pk=again.pk), actor=desk)
    assert third.refund_id == f"{failed.refund_id}-r2"
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.REFUND_RETRIED).count() == 2
    )


def failed_resource(wechat, refund):
    return wechat.refunded(refund, "ABNORMAL")


@pytest.mark.parametrize(
    ("event", "changes", "reason"),
    [
        ("REFUND.SUCCESS", {"refund_status": "ABNORMAL"}, "does not match the event"),
        ("REFUND.SUCCESS", {"mchid": "1900000999"}, "not our merchant"),
        ("REFUND.SUCCESS", {"out_refund_no": "not-ours"}, "unknown refund"),
        ("REFUND.SUCCESS", {"amount": {"refund": 1}}, "amount does not match"),
        ("REFUND.SUCCESS", {"amount": {"refund": "100"}}, "malformed amount"),
        ("REFUND.SUCCESS", {"refund_id": 500000}, "malformed refund_id"),
        ("REFUND.PROCESSING", {"refund_status": "PROCESSING"}, "unexpected event"),
    ],
)
def test_a_wrong_refund_notification_is_refused(
    client, wechat, paid, event, changes, reason
):
    order = paid.orders.order_by("pk").first()
    wechat.answer("POST", REFUNDS, refund_answer("PROCESSING"))
    order_refund(order=order, actor=staff())
    refund = Refund.objects.get()
    receipts = WebhookReceipt.objects.count()
    resource = wechat.refunded(refund, **changes)
    response = post(client, *wechat.notification(event, resource))
    assert response.status_code == 400
    assert reason in response.json()["error"]
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.PROCESSING
    assert WebhookReceipt.objects.count() == receipts


def test_a_refused_refund_changes_nothing_and_is_asked_again_the_same(wechat, paid):
    order = paid.orders.order_by("pk").first()
    wechat.answer(
        "POST",
        REFUNDS,
        {"code": "NOT_ENOUGH", "message": "基本账户余额不足，请充值后重新发起"},
        status=403,
    )
    with pytest.raises(ValidationError, match="余额不足"):
        order_refund(order=order, actor=staff())
    assert not Refund.objects.exists()
    assert paid.orders.get(pk=order.pk).status == OrderStatus.PAID
    assert Payment.objects.get(checkout=paid).refunded == 0
    wechat.answer("POST", REFUNDS, refund_answer("PROCESSING"))
    order_refund(order=order, actor=staff())
    first, second = wechat.bodies(REFUNDS)
    assert first == second
    assert Refund.objects.get().refund_id == first["out_refund_no"]


def test_a_refund_number_wechat_would_refuse_is_not_sent(wechat, paid):
    with pytest.raises(ProviderError):
        WECHAT.refund(paid.payments.get(), Decimal("1.00"), refund_id="退款-1")
    with pytest.raises(ProviderError):
        WECHAT.refund(paid.payments.get(), Decimal("1.00"), refund_id="x" * 65)
    assert wechat.calls == []


def test_a_refund_wechat_closes_at_once_is_refused(wechat, paid):
    wechat.answer("POST", REFUNDS, refund_answer("CLOSED"))
    with pytest.raises(ProviderError):
        WECHAT.refund(paid.payments.get(), Decimal("1.00"), refund_id="r-1")


@pytest.mark.parametrize(
    ("trade_state", "state"),
    [
        ("SUCCESS", PaymentState.PAID),
        ("REFUND", PaymentState.REFUNDED),
        ("NOTPAY", PaymentState.PENDING),
        ("USERPAYING", PaymentState.PENDING),
        ("CLOSED", PaymentState.CLOSED),
        ("REVOKED", PaymentState.CLOSED),
        ("PAYERROR", PaymentState.CLOSED),
    ],
)
def test_a_query_maps_wechats_trade_state(wechat, paying, trade_state, state):
    payment = paying.payments.get()
    answer = {
        "appid": "wxd678efh567hg6787",
        "mchid": MCHID,
        "out_trade_no": payment.reference.hex,
        "trade_state": trade_state,
        "trade_state_desc": "…",
        "amount": {"total": fen(payment.amount), "currency": "CNY"},
    }
    if trade_state in ("SUCCESS", "REFUND"):
        answer["transaction_id"] = "4200000000000000000000000001"
    path = f"/v3/pay/transactions/out-trade-no/{payment.reference.hex}"
    wechat.answer("GET", path, answer)
    found = WECHAT.query(payment)
    assert found.state == state
    assert found.amount == payment.amount
    assert found.transaction_id == answer.get("transaction_id", "")
    assert wechat.calls[0][1] == f"{path}?mchid={MCHID}"


def test_a_query_of_an_order_wechat_never_had_is_unknown(wechat, paying):
    payment = paying.payments.get()
    wechat.answer(
        "GET",
        f"/v3/pay/transactions/out-trade-no/{payment.reference.hex}",
        {"code": "ORDER_NOT_EXIST", "message": "订单不存在"},
        status=404,
    )
    assert WECHAT.query(payment).state == PaymentState.UNKNOWN


def test_a_query_answer_with_an_unknown_state_is_an_error(wechat, paying):
    payment = paying.payments.get()
    path = f"/v3/pay/transactions/out-trade-no/{payment.reference.hex}"
    wechat.answer("GET", path, {"trade_state": 7})
    with pytest.raises(ProviderError):
        WECHAT.query(payment)


def close_path(payment) -> str:
    return f"/v3/pay/transactions/out-trade-no/{payment.reference.hex}/close"


def test_close_tells_wechat(wechat, paying):
    payment = paying.payments.get()
    wechat.answer("POST", close_path(payment), None, status=204)
    assert WECHAT.close(payment) is None
    assert wechat.calls == [("POST", close_path(payment), {"mchid": MCHID})]


@pytest.mark.parametrize("code", ["ORDER_NOT_EXIST", "ORDER_CLOSED"])
def test_closing_what_wechat_never_had_or_closed_is_closed(wechat, paying, code):
    payment = paying.payments.get()
    wechat.answer(
        "POST", close_path(payment), {"code": code, "message": "…"}, status=400
    )
    assert WECHAT.close(payment) is None


def test_a_paid_order_cannot_be_closed(wechat, paying):
    payment = paying.payments.get()
    wechat.answer(
        "POST",
        close_path(payment),
        {"code": "ORDERPAID", "message": "订单已支付"},
        status=400,
    )
    with override("en"), pytest.raises(ProviderError, match="has been paid"):
        WECHAT.close(payment)


def test_a_changed_amount_closes_the_old_order_and_starts_a_new_one(
    client, wechat, paying
):
    old = paying.payments.get()
    cancelled, kept = paying.orders.order_by("pk")
    order_cancel(order=cancelled, actor=paying.buyer)
    wechat.answer("POST", close_path(old), None, status=204)
    wechat.answer("POST", "/v3/pay/transactions/native", {"code_url": "weixin://x"})
    client.force_login(paying.buyer)
    page = client.post(f"/orders/checkout/{paying.pk}/pay/")
    assert page.status_code == 200
    new = paying.payments.get(status=PaymentStatus.PENDING)
    assert Payment.objects.get(pk=old.pk).status == PaymentStatus.CLOSED
    [sent] = wechat.bodies("/native")
    assert sent["out_trade_no"] == new.reference.hex != old.reference.hex
    assert sent["amount"]["total"] == fen(kept.total)


def test_money_on_a_closed_reference_after_the_new_one_was_paid_goes_back_whole(
    client, wechat, paying
):
    old = paying.payments.get()
    order_cancel(order=paying.orders.order_by("pk").first(), actor=paying.buyer)
    wechat.answer("POST", close_path(old), None, status=204)
    wechat.answer("POST", "/v3/pay/transactions/native", {"code_url": "weixin://x"})
    client.force_login(paying.buyer)
    client.post(f"/orders/checkout/{paying.pk}/pay/")
    new = paying.payments.get(status=PaymentStatus.PENDING)
    paid_new = wechat.notification("TRANSACTION.SUCCESS", wechat.paid(new))
    assert post(client, *paid_new).status_code == 200
    # The buyer had paid the old QR code too: WeChat took that money as well.
    wechat.answer("POST", REFUNDS, refund_answer("PROCESSING"))
    paid_old = wechat.notification("TRANSACTION.SUCCESS", wechat.paid(old))
    assert post(client, *paid_old).status_code == 200
    [sent] = wechat.bodies(REFUNDS)
    assert sent["out_refund_no"] == f"{old.reference}-whole"
    assert sent["out_trade_no"] == old.reference.hex
    assert sent["amount"]["refund"] == sent["amount"]["total"] == fen(old.amount)
    old.refresh_from_db()
    assert (old.status, old.refunded) == (PaymentStatus.CLOSED, old.amount)
    assert Payment.objects.get(pk=new.pk).status == PaymentStatus.PAID
