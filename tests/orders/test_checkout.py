"""Placing a checkout: one order per storefront, snapshots, stock taken, and every
kind of bad input refused with a message and no change (an order over the size
cap too)."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalogue.models import Product, ProductStatus
from orders.carts import cart_view
from orders.models import (
    Cart,
    Checkout,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentProviderCode,
)
from orders.services.cart import cart_add, cart_set_quantity
from orders.services.checkout import MAX_CHECKOUT_TOTAL, checkout_place
from tests.factories import (
    AddressFactory,
    AssignmentFactory,
    ProductFactory,
    UserFactory,
    place_checkout,
    place_order,
)

pytestmark = pytest.mark.django_db


def active(**kwargs):
    return ProductFactory(status=ProductStatus.ACTIVE, **kwargs)


def test_one_order_per_storefront_with_sale_place_and_snapshots():
    assignment = AssignmentFactory()
    honey = active(farmer=assignment.farmer, price=Decimal("68.00"), stock=5)
    tea = active(price=Decimal("120.50"), stock=3)
    buyer = UserFactory()
    placed = place_checkout(buyer, [(honey, 2), (tea, 1)])

    assert placed.total == Decimal("256.50")
    orders = {order.farmer_id: order for order in placed.orders.all()}
    assert set(orders) == {honey.farmer_id, tea.farmer_id}
    honey_order = orders[honey.farmer_id]
    village = honey.farmer.household.village
    assert honey_order.total == Decimal("136.00")
    assert honey_order.status == OrderStatus.PENDING_PAYMENT
    assert (honey_order.village, honey_order.county_id) == (village, village.county_id)
    assert honey_order.assistant == assignment.assistant
    assert orders[tea.farmer_id].assistant is None
    line = honey_order.lines.get()
    assert (line.title, line.unit_price, line.quantity, line.line_total) == (
        honey.title,
        Decimal("68.00"),
        2,
        Decimal("136.00"),
    )
    honey.refresh_from_db()
    tea.refresh_from_db()
    assert (honey.stock, tea.stock) == (3, 2)
    assert honey_order.events.get().type == OrderEvent.Type.PLACED
    assert Payment.objects.get(checkout=placed).amount == Decimal("256.50")
    assert not Cart.objects.get(buyer=buyer).items.exists()
    # A later price change does not touch the snapshot.
    Product.objects.filter(pk=honey.pk).update(price=Decimal("99.00"), title="New")
    line.refresh_from_db()
    assert (line.title, line.unit_price) == (honey.title, Decimal("68.00"))


def test_pay_on_delivery_orders_go_straight_to_shipping_and_never_expire():
    product = active()
    order = place_checkout(
        UserFactory(), [(product, 1)], provider=PaymentProviderCode.ON_DELIVERY
    ).orders.get()
    assert order.status == OrderStatus.PAID
    assert order.expires_at is None
    assert list(order.events.values_list("type", flat=True)) == ["placed", "confirmed"]


def test_the_same_idempotency_key_places_once():
    product = active(stock=10)
    buyer = UserFactory()
    key = uuid.uuid4()
    first = place_checkout(buyer, [(product, 2)], key=key)
    again = place_checkout(buyer, [(product, 2)], key=key)
    assert again == first
    assert Order.objects.count() == 1
    product.refresh_from_db()
    assert product.stock == 8


def _nothing_changed(product, stock):
    product.refresh_from_db()
    assert product.stock == stock
    assert not Checkout.objects.exists()
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()


def _prepare(product, quantity=1):
    buyer = UserFactory()
    cart = Cart.objects.create(buyer=buyer)
    cart_add(cart=cart, product_id=product.pk, quantity=quantity)
    return buyer, cart, AddressFactory(buyer=buyer), cart_view(cart).quote


def _place(buyer, cart, address, quote):
    return checkout_place(
        buyer=buyer,
        cart=cart,
        address=address,
        provider=PaymentProviderCode.SIMULATED,
        idempotency_key=uuid.uuid4(),
        quote=quote,
    )


def test_a_price_change_after_the_buyer_looked_is_refused_not_charged():
    product = active(price=Decimal("10.00"))
    buyer, cart, address, quote = _prepare(product)
    Product.objects.filter(pk=product.pk).update(price=Decimal("12.00"))
    with pytest.raises(ValidationError) as error:
        _place(buyer, cart, address, quote)
    assert error.value.code == "changed"
    _nothing_changed(product, 20)
    # Shown the new price, the buyer can place it.
    view = cart_view(cart)
    assert view.lines[0].price_changed
    assert _place(buyer, cart, address, view.quote).total == Decimal("12.00")


def test_a_tampered_quote_never_sets_the_price():
    product = active(price=Decimal("10.00"))
    buyer, cart, address, _quote = _prepare(product)
    with pytest.raises(ValidationError):
        _place(buyer, cart, address, f"{product.pk}:1:0.01")
    _nothing_changed(product, 20)


@pytest.mark.parametrize("change", ["archived", "sold_out", "farmer_gone"])
def test_products_gone_or_sold_out_since_the_cart_are_refused(change):
    product = active(stock=3)
    buyer, cart, address, quote = _prepare(product, 2)
    if change == "archived":
        Product.objects.filter(pk=product.pk).update(status=ProductStatus.ARCHIVED)
    elif change == "sold_out":
        Product.objects.filter(pk=product.pk).update(stock=1)
    else:
        product.farmer.user.is_active = False
        product.farmer.user.save()
    with pytest.raises(ValidationError) as error:
        _place(buyer, cart, address, quote)
    assert [e.code for e in error.value.error_list] == ["unavailable"]
    _nothing_changed(product, 1 if change == "sold_out" else 3)
    assert cart_view(cart).blocked


def test_an_empty_cart_or_someone_elses_address_is_refused():
    buyer = UserFactory()
    cart = Cart.objects.create(buyer=buyer)
    with pytest.raises(ValidationError):
        _place(buyer, cart, AddressFactory(buyer=buyer), "")
    product = active()
    _buyer, cart, _address, quote = _prepare(product)
    with pytest.raises(ValidationError):
        _place(_buyer, cart, AddressFactory(), quote)
    _nothing_changed(product, 20)


@pytest.mark.parametrize("quantity", [0, -1, 21, 2**31, 10**30])
def test_bad_quantities_are_refused(quantity):
    product = active(stock=20)
    cart = Cart.objects.create(buyer=UserFactory())
    with pytest.raises(ValidationError):
        cart_add(cart=cart, product_id=product.pk, quantity=quantity)
    assert not cart.items.exists()
    cart_add(cart=cart, product_id=product.pk, quantity=1)
    with pytest.raises(ValidationError):
        cart_set_quantity(cart=cart, product_id=product.pk, quantity=quantity or -5)
    assert cart.items.get().quantity == 1


def test_only_products_for_sale_go_in_a_cart():
    cart = Cart.objects.create()
    for status in (ProductStatus.DRAFT, ProductStatus.PENDING, ProductStatus.ARCHIVED):
        with pytest.raises(ValidationError):
            cart_add(cart=cart, product_id=ProductFactory(status=status).pk, quantity=1)
    with pytest.raises(ValidationError):
        cart_add(cart=cart, product_id=10**15, quantity=1)
    assert not cart.items.exists()


def test_an_order_over_the_cap_is_refused_with_a_message():
    product = active(price=Decimal("1000000.00"), stock=5)
    with pytest.raises(ValidationError) as error:
        place_order(product=product, quantity=2)
    assert "1000000" in str(error.value)
    assert not Order.objects.exists()
    assert Product.objects.get(pk=product.pk).stock == 5
    assert Decimal("1000000") == MAX_CHECKOUT_TOTAL
