"""The payment webhook: signed callbacks pay the checkout's orders; an unsigned,
tampered, stale or replayed callback is refused and changes nothing; a duplicate
of one already applied changes nothing either. A payment method the site turned
off cannot be used, and paying twice on the gateway page says paid."""

import json
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalogue.models import ProductStatus
from orders.models import Order, OrderStatus, Payment, PaymentStatus, WebhookReceipt
from orders.providers import PROVIDERS
from orders.services.transitions import order_cancel
from tests.factories import ProductFactory, UserFactory, place_checkout, place_order

pytestmark = pytest.mark.django_db
GATEWAY = PROVIDERS["simulated"]
URL = "/orders/webhooks/simulated/"


@pytest.fixture
def checkout():
    products = [ProductFactory(status=ProductStatus.ACTIVE) for _ in range(2)]
    return place_checkout(UserFactory(), [(products[0], 1), (products[1], 2)])


def post(client, body: bytes, headers: dict):
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        headers=headers,
    )


def statuses(checkout) -> set[str]:
    return set(checkout.orders.values_list("status", flat=True))


def test_a_signed_callback_pays_every_order_of_the_checkout(client, checkout):
    payment = checkout.payments.get()
    response = post(client, *GATEWAY.callback_for(payment))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.transaction_id.startswith("SIM")
    assert statuses(checkout) == {OrderStatus.PAID}
    assert not checkout.orders.filter(expires_at__isnull=False).exists()


def test_webhook_is_exempt_from_csrf_but_not_from_the_signature(checkout):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    body, headers = GATEWAY.callback_for(checkout.payments.get())
    assert post(client, body, headers).status_code == 200


@pytest.mark.parametrize("tamper", ["unsigned", "wrong_key", "amount", "reference"])
def test_unsigned_or_tampered_callbacks_are_refused(client, checkout, tamper):
    payment = checkout.payments.get()
    body, headers = GATEWAY.callback_for(payment)
    if tamper == "unsigned":
        headers = {}
    elif tamper == "wrong_key":
        headers = {GATEWAY.SIGNATURE_HEADER: "0" * 64}
    else:
        data = json.loads(body)
        data["amount" if tamper == "amount" else "reference"] = (
            "0.01" if tamper == "amount" else "00000000-0000-0000-0000-000000000000"
        )
        body = json.dumps(data).encode()  # the old signature no longer matches
    response = post(client, body, headers)
    assert response.status_code == 400
    assert statuses(checkout) == {OrderStatus.PENDING_PAYMENT}
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    assert not WebhookReceipt.objects.exists()


def test_a_correctly_signed_wrong_amount_is_refused(client, checkout):
    payment = checkout.payments.get()
    payment.amount += Decimal("1.00")  # the gateway claims a different amount
    body, headers = GATEWAY.callback_for(payment)
    assert post(client, body, headers).status_code == 400
    assert statuses(checkout) == {OrderStatus.PENDING_PAYMENT}


def test_a_stale_callback_is_refused(client, checkout):
    payment = checkout.payments.get()
    body, headers = GATEWAY.callback_for(payment, now=time.time() - 3600)
    assert post(client, body, headers).status_code == 400
    assert statuses(checkout) == {OrderStatus.PENDING_PAYMENT}


def test_a_replayed_callback_is_refused(client, checkout):
    body, headers = GATEWAY.callback_for(checkout.payments.get())
    assert post(client, body, headers).status_code == 200
    events = list(Order.objects.values_list("events__pk", flat=True))
    assert post(client, body, headers).status_code == 409
    assert list(Order.objects.values_list("events__pk", flat=True)) == events


def test_a_duplicate_callback_for_the_same_transaction_changes_nothing(
    client, checkout
):
    payment = checkout.payments.get()
    body, headers = GATEWAY.callback_for(payment)
    assert post(client, body, headers).status_code == 200
    # The gateway retries: same transaction, new nonce and signature.
    data = json.loads(body)
    data["nonce"] = "another-nonce"
    retry = json.dumps(data).encode()
    events = list(Order.objects.values_list("events__pk", flat=True))
    response = post(client, retry, {GATEWAY.SIGNATURE_HEADER: GATEWAY.sign(retry)})
    assert response.status_code == 200
    assert list(Order.objects.values_list("events__pk", flat=True)) == events
    assert Payment.objects.get(pk=payment.pk).transaction_id == data["transaction_id"]


def test_a_second_transaction_for_a_paid_payment_is_refused(client, checkout):
    payment = checkout.payments.get()
    assert post(client, *GATEWAY.callback_for(payment)).status_code == 200
    assert post(client, *GATEWAY.callback_for(payment)).status_code == 400


def test_payment_arriving_after_an_order_closed_refunds_that_order(client, checkout):
    closed, kept = checkout.orders.order_by("pk")
    order_cancel(order=closed, actor=checkout.buyer)
    payment = checkout.payments.get()
    assert post(client, *GATEWAY.callback_for(payment)).status_code == 200
    payment.refresh_from_db()
    assert payment.refunded == closed.total
    assert Order.objects.get(pk=closed.pk).status == OrderStatus.CANCELLED
    assert Order.objects.get(pk=kept.pk).status == OrderStatus.PAID


def test_unknown_provider_and_get_are_refused(client):
    assert (
        client.post(
            "/orders/webhooks/nope/", data=b"{}", content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get(URL).status_code == 405
    assert (
        client.post(
            reverse("orders:webhook", args=["on_delivery"]),
            data=b"{}",
            content_type="application/json",
        ).status_code
        == 400
    )


def test_the_simulated_gateway_page_pays_through_the_signed_callback(client, checkout):
    client.force_login(checkout.buyer)
    payment = checkout.payments.get()
    page = client.get(reverse("orders:gateway", args=[payment.reference]))
    assert page.status_code == 200
    assert str(payment.amount) in page.content.decode()
    response = client.post(reverse("orders:gateway", args=[payment.reference]))
    assert response.status_code == 302
    assert statuses(checkout) == {OrderStatus.PAID}
    assert WebhookReceipt.objects.count() == 1


def test_nobody_else_can_open_a_buyers_gateway_page(client, checkout):
    client.force_login(UserFactory())
    payment = checkout.payments.get()
    assert (
        client.get(reverse("orders:gateway", args=[payment.reference])).status_code
        == 404
    )
    assert (
        client.post(reverse("orders:gateway", args=[payment.reference])).status_code
        == 404
    )
    assert statuses(checkout) == {OrderStatus.PENDING_PAYMENT}


def _signed(data: dict) -> tuple[bytes, dict]:
    body = json.dumps(data).encode()
    return body, {GATEWAY.SIGNATURE_HEADER: GATEWAY.sign(body)}


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("reference", "12345"),  # a JSON number
        ("reference", "null"),
        ("reference", '["a"]'),
        ("timestamp", "1e400"),  # infinity
        ("timestamp", "NaN"),
        ("timestamp", "1" + "0" * 400),  # an integer beyond any float: stale
        ("timestamp", '"soon"'),
        ("timestamp", "true"),
        ("amount", "1e400"),
        ("amount", '"NaN"'),
        ("amount", '"Infinity"'),
        ("amount", "{}"),
        ("transaction_id", "[]"),
        ("nonce", "{}"),
    ],
)
def test_a_signed_but_malformed_callback_is_a_400_and_changes_nothing(
    client, checkout, field, raw
):
    client.raise_request_exception = False
    payment = checkout.payments.get()
    body, _headers = GATEWAY.callback_for(payment)
    data = json.loads(body)
    placeholder = "@@RAW@@"
    data[field] = placeholder
    body = json.dumps(data).replace(f'"{placeholder}"', raw).encode()
    response = post(client, body, {GATEWAY.SIGNATURE_HEADER: GATEWAY.sign(body)})
    assert response.status_code == 400
    error = "stale callback" if len(raw) > 400 else "malformed body"
    assert response.json() == {"error": error}
    assert statuses(checkout) == {OrderStatus.PENDING_PAYMENT}
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    assert not WebhookReceipt.objects.exists()


@pytest.mark.parametrize("raw", ["[]", '"a string"', "12", "null", "[" * 100_000])
def test_a_signed_body_that_is_not_an_object_is_a_400(client, checkout, raw):
    client.raise_request_exception = False
    body = raw.encode()
    response = post(client, body, {GATEWAY.SIGNATURE_HEADER: GATEWAY.sign(body)})
    assert response.status_code == 400
    assert response.json() == {"error": "malformed body"}
    assert statuses(checkout) == {OrderStatus.PENDING_PAYMENT}
    assert not WebhookReceipt.objects.exists()


def test_a_payment_method_turned_off_cannot_be_used(client, settings):
    order = place_order(product=ProductFactory(status=ProductStatus.ACTIVE))
    payment = order.checkout.payments.get()
    settings.PAYMENT_PROVIDERS = ["on_delivery"]
    client.force_login(order.buyer)
    assert (
        client.get(reverse("orders:gateway", args=[payment.reference])).status_code
        == 404
    )
    webhook = client.post(
        reverse("orders:webhook", args=["simulated"]),
        b"{}",
        content_type="application/json",
    )
    assert webhook.status_code == 404
    with pytest.raises(ValidationError):
        place_order(
            buyer=order.buyer, product=ProductFactory(status=ProductStatus.ACTIVE)
        )
    assert Order.objects.count() == 1


def test_paying_twice_on_the_gateway_page_says_paid(client):
    order = place_order(product=ProductFactory(status=ProductStatus.ACTIVE))
    client.force_login(order.buyer)
    url = reverse("orders:gateway", args=[order.checkout.payments.get().reference])
    client.post(url)
    again = client.post(url, follow=True)
    assert list(again.context["messages"])[-1].level_tag == "success"
    assert Order.objects.get().status == OrderStatus.PAID
