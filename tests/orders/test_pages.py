"""The order pages end to end through the client: checkout (with a double submit,
a tampered quote and a price change in between), pay, ship, confirm, cancel; and
the notification list."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from catalogue.models import Product, ProductStatus
from notifications.models import Notification
from orders.models import Checkout, Order, OrderStatus
from tests.factories import AddressFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer_client(client):
    buyer = UserFactory()
    AddressFactory(buyer=buyer)
    client.force_login(buyer)
    client.buyer = buyer
    return client


def fill_cart(client, *products):
    for product in products:
        client.post(reverse("orders:cart_add"), {"product": product.pk, "quantity": 2})


def checkout_form(client) -> dict:
    page = client.get(reverse("orders:checkout"))
    assert page.status_code == 200
    form = page.context["form"]
    return {
        "place": "1",
        "address": form.fields["address"].queryset.first().pk,
        "provider": "simulated",
        "idempotency_key": str(form["idempotency_key"].value()),
        "quote": form["quote"].value(),
    }


def test_checkout_places_one_order_per_storefront_once(buyer_client):
    a = ProductFactory(status=ProductStatus.ACTIVE)
    b = ProductFactory(status=ProductStatus.ACTIVE)
    fill_cart(buyer_client, a, b)
    data = checkout_form(buyer_client)
    first = buyer_client.post(reverse("orders:checkout"), data)
    assert first.status_code == 302
    assert Order.objects.count() == 2
    # The same form again (a double tap, or the back button) places nothing new.
    fill_cart(buyer_client, a)
    again = buyer_client.post(reverse("orders:checkout"), data)
    assert again.url == first.url
    assert Checkout.objects.count() == 1
    assert Order.objects.count() == 2
    done = buyer_client.get(first.url)
    assert done.context["payable"]


def test_a_tampered_quote_is_refused_with_a_message(buyer_client):
    product = ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("50.00"))
    fill_cart(buyer_client, product)
    data = checkout_form(buyer_client)
    data["quote"] = re.sub(r"50\.00", "0.01", data["quote"])
    response = buyer_client.post(reverse("orders:checkout"), data, follow=True)
    assert not Order.objects.exists()
    assert list(response.context["messages"])
    assert Product.objects.get(pk=product.pk).stock == 20


def test_a_price_change_between_page_and_submit_is_shown_not_charged(buyer_client):
    product = ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("50.00"))
    fill_cart(buyer_client, product)
    data = checkout_form(buyer_client)
    Product.objects.filter(pk=product.pk).update(price=Decimal("55.00"))
    response = buyer_client.post(reverse("orders:checkout"), data, follow=True)
    assert not Order.objects.exists()
    assert list(response.context["messages"])
    assert "55.00" in response.content.decode()
    # Placing again from the page as shown now charges the new price.
    data = checkout_form(buyer_client)
    buyer_client.post(reverse("orders:checkout"), data)
    assert Order.objects.get().total == Decimal("110.00")


def test_only_buyers_check_out(client):
    product = ProductFactory(status=ProductStatus.ACTIVE)
    client.force_login(product.farmer.user)
    fill_cart(client, product)
    response = client.get(reverse("orders:checkout"))
    assert response.status_code == 302
    assert response.url == reverse("orders:cart")


def test_address_errors_are_shown_and_nothing_saved(buyer_client):
    ProductFactory(status=ProductStatus.ACTIVE)
    fill_cart(buyer_client, ProductFactory(status=ProductStatus.ACTIVE))
    response = buyer_client.post(
        reverse("orders:checkout"),
        {"add_address": "1", "recipient": "", "phone": "<script>", "region": "x" * 500},
    )
    assert response.status_code == 200
    assert response.context["address_form"].errors.keys() >= {"recipient", "phone"}
    assert buyer_client.buyer.addresses.count() == 1


def test_pay_ship_track_and_confirm_through_the_pages(buyer_client, client):
    product = ProductFactory(status=ProductStatus.ACTIVE)
    fill_cart(buyer_client, product)
    placed = buyer_client.post(reverse("orders:checkout"), checkout_form(buyer_client))
    checkout = Checkout.objects.get()
    pay = buyer_client.post(reverse("orders:pay", args=[checkout.pk]))
    assert pay.url == reverse(
        "orders:gateway", args=[checkout.payments.get().reference]
    )
    buyer_client.post(pay.url)
    order = Order.objects.get()
    assert order.status == OrderStatus.PAID
    assert placed.status_code == 302

    from django.test import Client

    farmer = Client()
    farmer.force_login(product.farmer.user)
    to_ship = farmer.get(reverse("orders:to_ship"))
    assert [o.pk for o in to_ship.context["page_obj"]] == [order.pk]
    bad = farmer.post(
        reverse("orders:ship", args=[order.pk]),
        {"carrier": "", "tracking_number": "<b>"},
        follow=True,
    )
    assert list(bad.context["messages"])
    assert Order.objects.get().status == OrderStatus.PAID
    farmer.post(
        reverse("orders:ship", args=[order.pk]),
        {"carrier": "ems", "tracking_number": "EM123456789CN"},
    )
    page = buyer_client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "EM123456789CN" in page
    buyer_client.post(reverse("orders:act", args=[order.pk, "complete"]))
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert order.delivered_at == order.completed_at
    inbox = buyer_client.get(reverse("notifications:inbox"))
    assert "EM123456789CN" in inbox.content.decode()
    assert inbox.context["unread_notifications"] == 1
    buyer_client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(
        recipient=buyer_client.buyer, read_at__isnull=True
    ).exists()


def test_cancel_from_the_page_and_an_unknown_action(buyer_client):
    product = ProductFactory(status=ProductStatus.ACTIVE)
    fill_cart(buyer_client, product)
    buyer_client.post(reverse("orders:checkout"), checkout_form(buyer_client))
    order = Order.objects.get()
    unknown = buyer_client.post(
        reverse("orders:act", args=[order.pk, "teleport"]), follow=True
    )
    assert list(unknown.context["messages"])
    buyer_client.post(
        reverse("orders:act", args=[order.pk, "cancel"]), {"note": "wrong size"}
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert Product.objects.get(pk=product.pk).stock == 20
    again = buyer_client.post(
        reverse("orders:act", args=[order.pk, "cancel"]), follow=True
    )
    refused = list(again.context["messages"])[-1]
    assert refused.level_tag == "error"
    assert "已取消" in refused.message  # zh-hans: "…cannot be cancelled"


def test_titles_are_escaped_on_order_pages(buyer_client):
    product = ProductFactory(
        status=ProductStatus.ACTIVE, title="<script>alert(1)</script>"
    )
    fill_cart(buyer_client, product)
    buyer_client.post(reverse("orders:checkout"), checkout_form(buyer_client))
    order = Order.objects.get()
    for url in (reverse("orders:detail", args=[order.pk]), reverse("orders:home")):
        html = buyer_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;" in html


def test_placing_twice_goes_to_the_first_checkout_even_with_an_empty_cart(client):
    buyer = UserFactory()
    client.force_login(buyer)
    product = ProductFactory(status=ProductStatus.ACTIVE)
    client.post(reverse("orders:cart_add"), {"product": product.pk, "quantity": 1})
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
