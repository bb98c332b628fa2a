"""Order pages and API lists cost the same number of queries for 3 orders as for
30 (CaptureQueriesContext compares the two)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import ProductStatus
from tests.factories import (
    AssignmentFactory,
    ProductFactory,
    UserFactory,
    order_pay,
    place_checkout,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    assignment = AssignmentFactory()
    products = [
        ProductFactory(status=ProductStatus.ACTIVE, farmer=assignment.farmer, stock=500)
        for _ in range(2)
    ]
    return assignment, products, UserFactory()


def add_orders(shop, count):
    assignment, products, buyer = shop
    for _ in range(count):
        order = place_checkout(buyer, [(products[0], 1), (products[1], 2)]).orders.get()
        order_pay(order=order)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("buyer", reverse("orders:home")),
        ("farmer", reverse("orders:to_ship")),
        ("farmer", reverse("orders:to_ship") + "?show=all"),
        ("assistant", reverse("orders:farmers_orders")),
        ("buyer", "/api/orders/"),
        ("farmer", "/api/orders/"),
        ("assistant", "/api/orders/"),
        ("farmer", reverse("notifications:inbox")),
        ("assistant", reverse("notifications:inbox")),
    ],
)
def test_constant_queries(client, shop, who, url):
    assignment, _products, buyer = shop
    user = {
        "buyer": buyer,
        "farmer": assignment.farmer.user,
        "assistant": assignment.assistant.user,
    }[who]
    client.force_login(user)
    add_orders(shop, 3)
    few = queries(client, url)
    add_orders(shop, 27)
    assert queries(client, url) == few


def test_order_page_queries_do_not_grow_with_lines_or_events(client, shop):
    assignment, products, buyer = shop
    client.force_login(buyer)
    small = place_checkout(buyer, [(products[0], 1)]).orders.get()
    big = place_checkout(buyer, [(products[0], 3), (products[1], 4)]).orders.get()
    order_pay(order=big)
    assert queries(client, reverse("orders:detail", args=[small.pk])) == queries(
        client, reverse("orders:detail", args=[big.pk])
    )


@pytest.mark.parametrize("name", ["orders:cart", "orders:checkout"])
def test_cart_and_checkout_queries_do_not_grow_with_lines(client, name):
    from orders.models import Cart
    from orders.services.cart import cart_add
    from tests.factories import AddressFactory

    buyer = UserFactory()
    AddressFactory(buyer=buyer)
    cart = Cart.objects.create(buyer=buyer)
    client.force_login(buyer)

    def fill(count):
        for _ in range(count):
            product = ProductFactory(status=ProductStatus.ACTIVE)
            cart_add(cart=cart, product_id=product.pk, quantity=1)

    fill(2)
    few = queries(client, reverse(name))
    fill(10)
    assert queries(client, reverse(name)) == few
