"""A gateway fixes the amount per merchant order number (our Payment.reference).
When the amount due changes (an order of the checkout was cancelled), the old
reference is closed and a new one issued for the new amount; a late callback on
the closed reference for its original amount is still the buyer's money, taken
and the difference refunded, or refunded whole if the new reference was paid."""

import json
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from catalogue.models import ProductStatus
from orders.models import OrderEvent, OrderStatus, Payment, PaymentStatus
from orders.providers import PROVIDERS
from orders.providers.base import Buyer, Device
from orders.services.payments import payment_start
from orders.services.transitions import order_cancel
from tests.factories import ProductFactory, UserFactory, place_checkout

pytestmark = pytest.mark.django_db
GATEWAY = PROVIDERS["simulated"]
WEBHOOK = "/orders/webhooks/simulated/"


@pytest.fixture
def placed():
    """A two-storefront checkout (10.00 + 7.00) through the simulated gateway."""
    a = ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("10.00"))
    b = ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("7.00"))
    return place_checkout(UserFactory(), [(a, 1), (b, 1)])


def open_pay_page(client, checkout) -> Payment:
    """The buyer presses "Pay": the reference they are sent to pay."""
    response = client.post(reverse("orders:pay", args=[checkout.pk]))
    assert response.status_code == 302
    reference = response.url.rstrip("/").rsplit("/", 1)[1]
    assert response.url == reverse("orders:gateway", args=[reference])
    return Payment.objects.get(reference=reference)


def callback(client, payment, *, amount=None):
    body, headers = GATEWAY.callback_for(payment)
    if amount is not None:
        data = json.loads(body)
        data["amount"] = str(amount)
        body = json.dumps(data).encode()
        headers = {GATEWAY.SIGNATURE_HEADER: GATEWAY.sign(body)}
    return client.post(
        WEBHOOK, data=body, content_type="application/json", headers=headers
    )


def cancel_the_seven(checkout):
    order = checkout.orders.get(total=Decimal("7.00"))
    order_cancel(order=order, actor=checkout.buyer)
    return order


@pytest.fixture
def reopened(client, placed):
    """The issue's sequence: pay page, cancel one order, pay page again."""
    client.force_login(placed.buyer)
    first = open_pay_page(client, placed)
    assert first.amount == Decimal("17.00")
    cancel_the_seven(placed)
    second = open_pay_page(client, placed)
    first.refresh_from_db()
    return first, second


def test_a_changed_amount_closes_the_reference_and_issues_a_new_one(reopened, placed):
    first, second = reopened
    assert second.reference != first.reference
    assert (first.status, first.amount) == (PaymentStatus.CLOSED, Decimal("17.00"))
    assert first.closed_at is not None
    assert (second.status, second.amount) == (PaymentStatus.PENDING, Decimal("10.00"))
    assert placed.payments.count() == 2


def test_the_new_reference_pays_the_new_amount(client, reopened, placed):
    first, second = reopened
    assert callback(client, second).status_code == 200
    second.refresh_from_db()
    assert (second.status, second.refunded) == (PaymentStatus.PAID, Decimal("0"))
    kept = placed.orders.get(total=Decimal("10.00"))
    assert kept.status == OrderStatus.PAID
    first.refresh_from_db()
    assert first.status == PaymentStatus.CLOSED


def test_the_closed_reference_cannot_be_paid_on_the_gateway_page(client, reopened):
    first, _second = reopened
    page = client.get(reverse("orders:gateway", args=[first.reference]))
    assert page.status_code == 200 and page.context["payable"] is False
    client.post(reverse("orders:gateway", args=[first.reference]))
    first.refresh_from_db()
    assert first.status == PaymentStatus.CLOSED and first.transaction_id is None


def test_a_late_callback_for_the_original_amount_is_taken_and_the_rest_refunded(
    client, reopened, placed
):
    first, second = reopened
    response = callback(client, first)  # signed by the gateway for 17.00
    assert response.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.amount, first.refunded) == (
        PaymentStatus.PAID,
        Decimal("17.00"),
        Decimal("7.00"),
    )
    assert second.status == PaymentStatus.CLOSED
    kept = placed.orders.get(total=Decimal("10.00"))
    assert kept.status == OrderStatus.PAID
    cancelled = placed.orders.get(total=Decimal("7.00"))
    assert cancelled.events.filter(type=OrderEvent.Type.REFUNDED).count() == 1
    # Cancelling the paid order refunds it from the payment that took the money.
    order_cancel(order=kept, actor=placed.buyer)
    first.refresh_from_db()
    assert first.refunded == Decimal("17.00")


def test_a_late_callback_after_the_new_reference_was_paid_is_refunded_whole(
    client, reopened, placed
):
    first, second = reopened
    assert callback(client, second).status_code == 200
    assert callback(client, first).status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == PaymentStatus.CLOSED
    assert first.transaction_id and first.refunded == first.amount == Decimal("17.00")
    assert (second.status, second.refunded) == (PaymentStatus.PAID, Decimal("0"))
    kept = placed.orders.get(total=Decimal("10.00"))
    assert kept.status == OrderStatus.PAID
    # A gateway's retry of that same transaction changes nothing more.
    body, _headers = GATEWAY.callback_for(first)
    data = json.loads(body)
    data["transaction_id"] = first.transaction_id
    retry = json.dumps(data).encode()
    again = client.post(
        WEBHOOK,
        data=retry,
        content_type="application/json",
        headers={GATEWAY.SIGNATURE_HEADER: GATEWAY.sign(retry)},
    )
    assert again.status_code == 200
    first.refresh_from_db()
    assert first.refunded == Decimal("17.00")


def test_a_late_callback_for_another_amount_is_refused(client, reopened, placed):
    first, second = reopened
    assert callback(client, first, amount="10.00").status_code == 400
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == PaymentStatus.CLOSED and first.transaction_id is None
    assert second.status == PaymentStatus.PENDING


def test_an_unchanged_amount_keeps_the_reference(client, placed):
    client.force_login(placed.buyer)
    first = open_pay_page(client, placed)
    assert open_pay_page(client, placed) == first
    assert placed.payments.count() == 1


def test_a_checkout_has_one_open_or_paid_payment_at_most(placed):
    payment = placed.payments.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            checkout=placed, provider=payment.provider, amount=payment.amount
        )


def test_the_replacement_closed_by_a_late_callback_refunds_what_it_takes(
    client, reopened, placed
):
    first, second = reopened
    assert callback(client, first).status_code == 200
    # The buyer had the new reference's page open too, and paid there as well.
    assert callback(client, second).status_code == 200
    second.refresh_from_db()
    assert second.status == PaymentStatus.CLOSED
    assert second.refunded == second.amount == Decimal("10.00")
    kept = placed.orders.get(total=Decimal("10.00"))
    assert kept.events.filter(type=OrderEvent.Type.REFUNDED).count() == 1
    assert kept.status == OrderStatus.PAID


def test_the_pages_show_the_new_amount_and_send_the_old_link_to_it(client, reopened):
    first, second = reopened
    page = client.get(
        reverse("orders:checkout_done", args=[first.checkout_id]),
        headers={"accept-language": "en"},
    ).content.decode()
    assert "Pay ¥10.00" in page and "¥17.00" not in page
    old = client.get(
        reverse("orders:gateway", args=[first.reference]),
        headers={"accept-language": "en"},
    ).content.decode()
    assert "This payment was replaced" in old
    assert reverse("orders:checkout_done", args=[first.checkout_id]) in old


def test_the_amount_due_follows_a_cancelled_order():
    a, b = (
        ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("10.00")),
        ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("7.00")),
    )
    checkout = place_checkout(UserFactory(), [(a, 1), (b, 1)])
    assert checkout.payments.get().amount == Decimal("17.00")
    first = checkout.orders.get(farmer=a.farmer)
    order_cancel(order=first, actor=checkout.buyer)
    payment_start(checkout=checkout, buyer=Buyer(device=Device.MOBILE))
    # A new reference for the new amount (the tests above).
    assert checkout.payments.get(status=PaymentStatus.PENDING).amount == Decimal("7.00")
