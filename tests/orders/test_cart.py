"""The cart pages and the anonymous cart merging into the buyer's at sign-in."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalogue.models import Product, ProductStatus
from orders.models import Cart, CartItem
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"


def add(client, product, quantity=1):
    return client.post(
        reverse("orders:cart_add"), {"product": product.pk, "quantity": quantity}
    )


def test_an_anonymous_cart_merges_into_the_buyers_at_sign_in(client):
    honey = ProductFactory(status=ProductStatus.ACTIVE)
    tea = ProductFactory(status=ProductStatus.ACTIVE)
    buyer = UserFactory()
    saved = Cart.objects.create(buyer=buyer)
    CartItem.objects.create(
        cart=saved, product=honey, quantity=3, price_seen=honey.price
    )
    add(client, honey, 1)
    add(client, tea, 2)
    anonymous = Cart.objects.get(buyer=None)

    response = client.post(
        reverse("accounts:login"), {"username": buyer.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert not Cart.objects.filter(pk=anonymous.pk).exists()
    quantities = dict(saved.items.values_list("product_id", "quantity"))
    assert quantities == {honey.pk: 3, tea.pk: 2}
    page = client.get(reverse("orders:cart"))
    assert tea.title in page.content.decode()


def test_signing_up_at_checkout_keeps_the_cart_and_returns_to_checkout(client):
    product = ProductFactory(status=ProductStatus.ACTIVE)
    add(client, product, 2)
    response = client.get(reverse("orders:checkout"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_up"))
    response = client.post(
        response.url,
        {
            "username": "newbuyer",
            "email": "newbuyer@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("orders:checkout")
    cart = Cart.objects.get(buyer__username="newbuyer")
    assert cart.items.get().quantity == 2


def test_sign_up_ignores_a_next_that_leaves_the_site(client):
    response = client.post(
        reverse("accounts:sign_up") + "?next=https://evil.example/",
        {
            "username": "carol",
            "email": "carol@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert "evil" not in response.url


def test_cart_page_warns_of_stock_and_price_changes(client):
    product = ProductFactory(status=ProductStatus.ACTIVE, stock=5, price=Decimal("10"))
    add(client, product, 4)
    Product.objects.filter(pk=product.pk).update(stock=2, price=Decimal("11.50"))
    page = client.get(reverse("orders:cart")).content.decode()
    assert "11.50" in page
    assert 'class="badge warn"' in page
    assert 'role="alert"' in page


@pytest.mark.parametrize("quantity", ["0", "-3", "abc", "99999999999999999999", "1e3"])
def test_bad_quantities_get_a_message_and_change_nothing(client, quantity):
    product = ProductFactory(status=ProductStatus.ACTIVE)
    response = client.post(
        reverse("orders:cart_add"),
        {"product": product.pk, "quantity": quantity},
        follow=True,
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert not CartItem.objects.exists()


def test_quantity_update_and_remove(client):
    product = ProductFactory(status=ProductStatus.ACTIVE, stock=5)
    add(client, product, 1)
    url = reverse("orders:cart_update", args=[product.pk])
    client.post(url, {"quantity": 4})
    assert CartItem.objects.get().quantity == 4
    response = client.post(url, {"quantity": 6}, follow=True)
    assert "5" in str(list(response.context["messages"])[-1])
    assert CartItem.objects.get().quantity == 4
    client.post(url, {"remove": "1"})
    assert not CartItem.objects.exists()


def test_cart_pages_refuse_get_for_writes_and_keep_csrf(client):
    from django.test import Client

    product = ProductFactory(status=ProductStatus.ACTIVE)
    assert client.get(reverse("orders:cart_add")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("orders:cart_add"), {"product": product.pk, "quantity": 1}
    )
    assert response.status_code == 403
    assert not CartItem.objects.exists()


def test_abandoned_anonymous_carts_are_purged_but_buyers_carts_kept():
    from datetime import timedelta

    from django.utils import timezone

    from orders.tasks import purge_abandoned_carts

    old = Cart.objects.create()
    fresh = Cart.objects.create()
    kept = Cart.objects.create(buyer=UserFactory())
    Cart.objects.filter(pk__in=[old.pk, kept.pk]).update(
        updated_at=timezone.now() - timedelta(days=31)
    )
    assert purge_abandoned_carts() == 1
    assert purge_abandoned_carts() == 0
    assert set(Cart.objects.values_list("pk", flat=True)) == {fresh.pk, kept.pk}
