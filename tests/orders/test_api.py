"""The orders API through the client: cart, address book, checkout (idempotent,
server prices), order actions with 400/403/404/409 as documented."""

import uuid
from decimal import Decimal

import pytest

from catalogue.models import Product, ProductStatus
from orders.models import Order, OrderStatus
from tests.factories import ProductFactory, UserFactory, order_pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    buyer = UserFactory()
    client.force_login(buyer)
    client.buyer = buyer
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def place(api, provider="simulated", key=None):
    cart = api.get("/api/cart/").json()
    address = post(
        api,
        "/api/addresses/",
        {
            "recipient": "李明",
            "phone": "13800000000",
            "region": "湖北省",
            "street": "1号",
        },
    ).json()["id"]
    return post(
        api,
        "/api/checkouts/",
        {
            "address": address,
            "provider": provider,
            "idempotency_key": str(key or uuid.uuid4()),
            "quote": cart["quote"],
        },
    )


def test_cart_checkout_and_idempotency(api):
    a = ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("10.00"))
    b = ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("2.50"))
    assert post(api, "/api/cart/", {"product": a.pk, "quantity": 2}).status_code == 201
    response = post(api, "/api/cart/", {"product": b.pk, "quantity": 4})
    cart = response.json()
    assert cart["total"] == "30.00"
    assert len(cart["groups"]) == 2
    key = uuid.uuid4()
    placed = place(api, key=key)
    assert placed.status_code == 201, placed.content
    body = placed.json()
    assert body["total"] == "30.00"
    assert len(body["orders"]) == 2
    assert "/orders/gateway/" in body["pay_url"]
    # The same key again: the same checkout, nothing new.
    assert api.get("/api/cart/").json()["groups"] == []
    post(api, "/api/cart/", {"product": a.pk, "quantity": 1})
    again = place(api, key=key)
    assert again.json()["id"] == body["id"]
    assert Order.objects.count() == 2
    assert Product.objects.get(pk=a.pk).stock == 18


@pytest.mark.parametrize(
    "quantity", [0, -1, 10**4, 2**31, 10**30, "1.5", "NaN", None, "<b>1</b>"]
)
def test_bad_cart_quantities_are_400_and_change_nothing(api, quantity):
    product = ProductFactory(status=ProductStatus.ACTIVE)
    response = post(api, "/api/cart/", {"product": product.pk, "quantity": quantity})
    assert response.status_code == 400
    assert "quantity" in response.json()
    assert api.get("/api/cart/").json()["groups"] == []


def test_more_than_in_stock_is_400_with_a_message(api):
    product = ProductFactory(status=ProductStatus.ACTIVE, stock=3)
    response = post(api, "/api/cart/", {"product": product.pk, "quantity": 4})
    assert response.status_code == 400
    assert response.json()["quantity"]


def test_a_tampered_quote_places_nothing(api):
    product = ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("10.00"))
    post(api, "/api/cart/", {"product": product.pk, "quantity": 1})
    address = post(
        api,
        "/api/addresses/",
        {"recipient": "李明", "phone": "13800000000", "region": "湖北", "street": "1"},
    ).json()["id"]
    response = post(
        api,
        "/api/checkouts/",
        {
            "address": address,
            "provider": "simulated",
            "idempotency_key": str(uuid.uuid4()),
            "quote": f"{product.pk}:1:0.01",
        },
    )
    assert response.status_code == 400
    assert not Order.objects.exists()


def test_someone_elses_or_a_huge_address_id_is_404(api):
    product = ProductFactory(status=ProductStatus.ACTIVE)
    post(api, "/api/cart/", {"product": product.pk, "quantity": 1})
    for address in (10**17, 2**63 - 1):
        response = post(
            api,
            "/api/checkouts/",
            {
                "address": address,
                "provider": "simulated",
                "idempotency_key": str(uuid.uuid4()),
                "quote": "",
            },
        )
        assert response.status_code == 404
    assert not Order.objects.exists()


def test_cart_patch_and_delete(api):
    product = ProductFactory(status=ProductStatus.ACTIVE)
    post(api, "/api/cart/", {"product": product.pk, "quantity": 1})
    response = api.patch(
        f"/api/cart/{product.pk}/", {"quantity": 5}, content_type="application/json"
    )
    assert response.json()["groups"][0]["lines"][0]["quantity"] == 5
    assert api.delete(f"/api/cart/{product.pk}/").status_code == 204
    assert api.get("/api/cart/").json()["groups"] == []


def test_order_actions_status_codes(api, client):
    product = ProductFactory(status=ProductStatus.ACTIVE)
    post(api, "/api/cart/", {"product": product.pk, "quantity": 1})
    order = Order.objects.get(pk=place(api).json()["orders"][0])
    # The buyer cannot ship (403); a huge id is 404.
    assert (
        post(
            api,
            f"/api/orders/{order.pk}/ship/",
            {"carrier": "other", "tracking_number": "E1234"},
        ).status_code
        == 403
    )
    assert api.get(f"/api/orders/{10**17}/").status_code == 404
    assert api.get("/api/orders/?status=nonsense").status_code == 400
    order_pay(order=order)
    api.force_login(product.farmer.user)
    bad = post(
        api,
        f"/api/orders/{order.pk}/ship/",
        {"carrier": "other", "tracking_number": "<>"},
    )
    assert bad.status_code == 400
    shipped = post(
        api,
        f"/api/orders/{order.pk}/ship/",
        {"carrier": "other", "tracking_number": "E1234"},
    )
    assert shipped.status_code == 200
    assert shipped.json()["shipment"]["tracking_number"] == "E1234"
    assert [e["type"] for e in shipped.json()["events"]] == [
        "placed",
        "paid",
        "shipped",
    ]
    # Shipping twice: the status does not allow it.
    again = post(
        api,
        f"/api/orders/{order.pk}/ship/",
        {"carrier": "other", "tracking_number": "E1234"},
    )
    assert again.status_code == 409
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SHIPPED


def test_staff_refund_through_the_page_and_the_api(client):
    from accounts.models import Role
    from tests.factories import place_order

    staff = UserFactory(role=Role.STAFF)
    client.force_login(staff)
    first = order_pay(
        order=place_order(product=ProductFactory(status=ProductStatus.ACTIVE))
    )
    page = client.get(f"/orders/{first.pk}/")
    assert "refund" in page.context["actions"]
    client.post(f"/orders/{first.pk}/refund/", {"note": "damaged"})
    assert Order.objects.get(pk=first.pk).status == OrderStatus.REFUNDED
    second = order_pay(
        order=place_order(product=ProductFactory(status=ProductStatus.ACTIVE))
    )
    response = post(client, f"/api/orders/{second.pk}/refund/", {"note": "late"})
    assert response.status_code == 200
    assert response.json()["status"] == "refunded"
    # Twice: the status does not allow it. A buyer may never refund.
    assert post(client, f"/api/orders/{second.pk}/refund/", {}).status_code == 409
    client.force_login(second.buyer)
    third = order_pay(
        order=place_order(
            buyer=second.buyer, product=ProductFactory(status=ProductStatus.ACTIVE)
        )
    )
    assert post(client, f"/api/orders/{third.pk}/refund/", {}).status_code == 403
