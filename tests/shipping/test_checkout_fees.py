"""The shipping fee through an order's life: a buyer in Beijing orders from two
storefronts with different templates and is charged each one's fee (shown in
the cart and at checkout first); the fee is stored on the order, paid with it,
refunded with it and settled to the farmer with it, and left out of what the
household earns from sales. A fee that changed since the buyer looked, a
province not delivered to, and an address with no province are refused and
place nothing."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalogue.models import Product, ProductStatus
from fieldwork.selectors import platform_sales_for
from orders.carts import cart_view
from orders.models import Cart, Checkout, Order, Payment, Refund
from orders.services.cart import cart_add
from orders.services.checkout import checkout_place
from orders.services.transitions import order_complete, order_refund, order_ship
from settlement.invariants import first_mismatch
from shipping.models import ChargeBy
from shipping.services import Group
from tests.factories import (
    AddressFactory,
    FarmerFactory,
    ProductFactory,
    UserFactory,
    shipping_template,
)
from tests.settlement.conftest import K, owed, pay

pytestmark = pytest.mark.django_db
D = Decimal
BEIJING = "110105"  # 北京市 朝阳区


@pytest.fixture
def basket():
    """Rice (5 kg a bag) from a storefront on the default template, by weight;
    honey from one that charges by piece, free from ¥100 of goods."""
    by_weight = FarmerFactory(ships_free=False)
    by_piece = FarmerFactory()
    shipping_template(
        by_piece,
        charge_by=ChargeBy.PIECE,
        first=D("6.00"),
        additional=D("2.00"),
        free_over=D("100.00"),
        groups=[Group(("540000",), D("15.00"), D("5.00"))],
    )
    rice = ProductFactory(
        farmer=by_weight,
        status=ProductStatus.ACTIVE,
        price=D("50.00"),
        net_weight_kg=D("5.000"),
    )
    honey = ProductFactory(
        farmer=by_piece, status=ProductStatus.ACTIVE, price=D("30.00")
    )
    buyer = UserFactory()
    address = AddressFactory(buyer=buyer, region="北京市 朝阳区", division_id=BEIJING)
    cart = Cart.objects.create(buyer=buyer)
    cart_add(cart=cart, product_id=rice.pk, quantity=1)
    cart_add(cart=cart, product_id=honey.pk, quantity=2)
    return buyer, address, cart, rice, honey


def place(buyer, address, cart, quote):
    return checkout_place(
        buyer=buyer,
        cart=cart,
        address=address,
        provider="simulated",
        idempotency_key=uuid.uuid4(),
        quote=quote,
    )


def test_each_storefront_charges_its_own_fee_shown_before_paying(basket, client):
    buyer, address, cart, rice, honey = basket
    # Rice: 5 kg by weight, ¥8 + 4 × ¥4; honey: 2 pieces, ¥6 + ¥2.
    rice_fee, honey_fee = D("24.00"), D("8.00")
    view = cart_view(cart, to=address.province)
    assert {g.farmer.pk: g.shipping for g in view.groups} == {
        rice.farmer_id: rice_fee,
        honey.farmer_id: honey_fee,
    }
    client.force_login(buyer)
    for name in ("orders:cart", "orders:checkout"):
        page = client.get(reverse(name)).content.decode()
        assert "¥24.00" in page and "¥8.00" in page
    assert "¥142.00" in client.get(reverse("orders:checkout")).content.decode()
    checkout = place(buyer, address, cart, view.quote)
    orders = {o.farmer_id: o for o in checkout.orders.all()}
    rice_order, honey_order = orders[rice.farmer_id], orders[honey.farmer_id]
    assert (rice_order.shipping_fee, rice_order.total) == (rice_fee, D("74.00"))
    assert (honey_order.shipping_fee, honey_order.total) == (honey_fee, D("68.00"))
    assert checkout.total == D("142.00")
    assert Payment.objects.get(checkout=checkout).amount == D("142.00")
    detail = client.get(reverse("orders:detail", args=[rice_order.pk])).content
    assert "¥24.00" in detail.decode()


def test_the_fee_is_refunded_and_settled_with_the_order(basket):
    buyer, address, cart, rice, honey = basket
    checkout = place(buyer, address, cart, cart_view(cart, to=address.province).quote)
    pay(checkout)
    rice_order = checkout.orders.get(farmer=rice.farmer)
    honey_order = checkout.orders.get(farmer=honey.farmer)
    order_refund(order=rice_order, actor=None)
    assert Refund.objects.get(order=rice_order).amount == D("74.00")
    order_ship(
        order=honey_order,
        actor=honey.farmer.user,
        carrier="sf",
        tracking_number="SF1234567890123",
    )
    order_complete(order=honey_order, actor=buyer)
    # The farmer earns what the buyer paid for the order: goods and postage.
    assert owed(honey.farmer, K.FARMER_PENDING) == D("68.00")
    assert first_mismatch() is None
    # What the household earned from sales is the goods alone.
    household = honey.farmer.household
    year = Order.objects.get(pk=honey_order.pk).paid_at.year
    assert platform_sales_for(household, year).total == D("60.00")


def test_a_fee_changed_since_the_buyer_looked_is_refused(basket):
    buyer, address, cart, rice, honey = basket
    looked = cart_view(cart, to=address.province).quote
    shipping_template(
        honey.farmer,
        charge_by=ChargeBy.PIECE,
        first=D("7.00"),
        additional=D("2.00"),
    )
    with pytest.raises(ValidationError) as refused:
        place(buyer, address, cart, looked)
    assert refused.value.code == "changed"
    assert "shipping fees changed" in refused.value.messages[0]
    # A quote without the fees (what a cart with no address shows) is refused too.
    with pytest.raises(ValidationError):
        place(buyer, address, cart, cart_view(cart).quote)
    assert not Order.objects.exists()
    assert Checkout.objects.count() == 0
    assert Product.objects.get(pk=rice.pk).stock == 20


def test_a_province_not_delivered_to_is_refused(basket):
    buyer, _address, cart, rice, honey = basket
    hong_kong = AddressFactory(
        buyer=buyer, region="香港特别行政区", division_id="810000"
    )
    view = cart_view(cart, to=hong_kong.province)
    assert view.blocked
    assert not next(g for g in view.groups if g.farmer.pk == rice.farmer_id).delivers
    with pytest.raises(ValidationError) as refused:
        place(buyer, hong_kong, cart, view.quote)
    assert refused.value.code == "not_delivered"
    assert rice.farmer.shop_name in refused.value.messages[0]
    assert not Order.objects.exists()
    assert Product.objects.get(pk=rice.pk).stock == 20


def test_an_address_with_no_province_is_refused(basket):
    buyer, _address, cart, _rice, _honey = basket
    typed = AddressFactory(buyer=buyer, region="某地", division_id=None)
    with pytest.raises(ValidationError) as refused:
        place(buyer, typed, cart, cart_view(cart).quote)
    assert refused.value.code == "address_region"
    assert not Order.objects.exists()


def test_the_product_page_shows_the_fee_to_the_buyers_province(basket, client):
    buyer, _address, _cart, rice, _honey = basket
    url = reverse("product", args=[rice.pk])
    # A visitor: the storefront's first kilogram.
    assert "Shipping from ¥8.00" in client.get(url).content.decode()
    client.force_login(buyer)
    assert "Shipping ¥24.00 to 北京市" in client.get(url).content.decode()
    client.logout()
    shipping_template(
        rice.farmer,
        charge_by=ChargeBy.WEIGHT,
        first=D("5.00"),
        additional=D("1.00"),
    )
    # The visitor's cached page follows the change.
    assert "Shipping from ¥5.00" in client.get(url).content.decode()
