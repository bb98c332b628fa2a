"""Money and flow details: payment methods the site turned off, the amount due
after a cancellation, pay on delivery collected on completion, the order-size cap,
and double taps on "place" and "pay"."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalogue.models import Product, ProductStatus
from orders.checkout import MAX_CHECKOUT_TOTAL
from orders.models import (
    Order,
    OrderStatus,
    Payment,
    PaymentProviderCode,
    PaymentStatus,
)
from orders.payments import payment_start
from orders.transitions import order_cancel, order_complete, order_ship
from tests.factories import ProductFactory, UserFactory, place_checkout, place_order

pytestmark = pytest.mark.django_db


def active(**kwargs):
    return ProductFactory(status=ProductStatus.ACTIVE, **kwargs)


def test_a_payment_method_turned_off_cannot_be_used(client, settings):
    order = place_order(product=active())
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
        place_order(buyer=order.buyer, product=active())
    assert Order.objects.count() == 1


def test_the_amount_due_follows_a_cancelled_order():
    a, b = active(price=Decimal("10.00")), active(price=Decimal("7.00"))
    checkout = place_checkout(UserFactory(), [(a, 1), (b, 1)])
    assert checkout.payments.get().amount == Decimal("17.00")
    first = checkout.orders.get(farmer=a.farmer)
    order_cancel(order=first, actor=checkout.buyer)
    payment_start(checkout=checkout)
    # A new reference for the new amount (tests/orders/test_payment_reissue.py).
    assert checkout.payments.get(status=PaymentStatus.PENDING).amount == Decimal("7.00")


def test_pay_on_delivery_is_collected_when_the_last_order_completes():
    a, b = active(price=Decimal("10.00")), active(price=Decimal("5.00"))
    checkout = place_checkout(
        UserFactory(), [(a, 1), (b, 1)], provider=PaymentProviderCode.ON_DELIVERY
    )
    kept, dropped = (
        checkout.orders.get(farmer=a.farmer),
        checkout.orders.get(farmer=b.farmer),
    )
    order_cancel(order=dropped, actor=b.farmer.user)
    payment = Payment.objects.get(checkout=checkout)
    assert (payment.amount, payment.status) == (Decimal("10.00"), PaymentStatus.PENDING)
    order_ship(order=kept, actor=a.farmer.user, carrier="EMS", tracking_number="E1234")
    order_complete(order=kept, actor=checkout.buyer)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID


def test_an_order_over_the_cap_is_refused_with_a_message():
    product = active(price=Decimal("1000000.00"), stock=5)
    with pytest.raises(ValidationError) as error:
        place_order(product=product, quantity=2)
    assert "1000000" in str(error.value)
    assert not Order.objects.exists()
    assert Product.objects.get(pk=product.pk).stock == 5
    assert Decimal("1000000") == MAX_CHECKOUT_TOTAL


def test_paying_twice_on_the_gateway_page_says_paid(client):
    order = place_order(product=active())
    client.force_login(order.buyer)
    url = reverse("orders:gateway", args=[order.checkout.payments.get().reference])
    client.post(url)
    again = client.post(url, follow=True)
    assert list(again.context["messages"])[-1].level_tag == "success"
    assert Order.objects.get().status == OrderStatus.PAID


def test_placing_twice_goes_to_the_first_checkout_even_with_an_empty_cart(client):
    buyer = UserFactory()
    client.force_login(buyer)
    product = active()
    client.post(reverse("orders:cart_add"), {"product": product.pk, "quantity": 1})
    from tests.factories import AddressFactory

    address = AddressFactory(buyer=buyer)
    page = client.get(reverse("orders:checkout")).context["form"]
    data = {
        "place": "1",
        "address": address.pk,
        "provider": "simulated",
        "idempotency_key": str(page["idempotency_key"].value()),
        "quote": page["quote"].value(),
    }
    first = client.post(reverse("orders:checkout"), data)
    second = client.post(reverse("orders:checkout"), data)
    assert second.url == first.url
    assert second.url.startswith("/orders/checkout/")
