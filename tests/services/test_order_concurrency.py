"""No overselling, ever, on real PostgreSQL: 40 threads, each with its own
connection, race for the last 10 units, five rounds; and cancel races ship on one
order with exactly one winner. Each thread closes its connection."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from catalogue.models import Product, ProductStatus
from orders.carts import cart_view
from orders.models import Cart, Order, OrderLine, OrderStatus, Shipment
from orders.services.cart import cart_add
from orders.services.checkout import checkout_place
from orders.services.transitions import order_cancel, order_ship
from tests.factories import (
    AddressFactory,
    ProductFactory,
    UserFactory,
    order_pay,
    place_checkout,
    place_order,
)
from tests.services.test_people_concurrency import run_together

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
BUYERS = 40
UNITS = 10
ROUNDS = 5


def test_forty_buyers_race_for_the_last_ten_units_five_rounds():
    buyers = [UserFactory() for _ in range(BUYERS)]
    addresses = {buyer.pk: AddressFactory(buyer=buyer) for buyer in buyers}
    for round_ in range(ROUNDS):
        product = ProductFactory(status=ProductStatus.ACTIVE, stock=UNITS)
        carts = {}
        for buyer in buyers:
            cart, _ = Cart.objects.get_or_create(buyer=buyer)
            cart.items.all().delete()
            cart_add(cart=cart, product_id=product.pk, quantity=1)
            carts[buyer.pk] = (cart, cart_view(cart).quote)

        def buy(buyer, carts=carts):
            cart, quote = carts[buyer.pk]
            return checkout_place(
                buyer=buyer,
                cart=cart,
                address=addresses[buyer.pk],
                provider="simulated",
                idempotency_key=uuid.uuid4(),
                quote=quote,
            )

        outcomes = run_together([lambda b=buyer: buy(b) for buyer in buyers])
        won = [o for o in outcomes if not isinstance(o, Exception)]
        lost = [o for o in outcomes if isinstance(o, Exception)]
        assert all(isinstance(o, ValidationError) for o in lost), lost
        assert len(won) == UNITS, f"round {round_}: {len(won)} sold"
        product.refresh_from_db()
        assert product.stock == 0
        sold = OrderLine.objects.filter(product=product).aggregate(n=Sum("quantity"))
        assert sold["n"] + product.stock == UNITS


def test_cancel_races_ship_and_exactly_one_wins():
    for _ in range(5):
        order = order_pay(
            order=place_order(
                product=ProductFactory(status=ProductStatus.ACTIVE, stock=5),
                quantity=2,
            )
        )
        target = Order(pk=order.pk)
        outcomes = run_together(
            [
                lambda o=target, u=order.buyer: order_cancel(order=o, actor=u),
                lambda o=target, u=order.farmer.user: order_ship(
                    order=o, actor=u, carrier="other", tracking_number="EMS0001"
                ),
            ]
        )
        winners = [o for o in outcomes if isinstance(o, Order)]
        losers = [o for o in outcomes if isinstance(o, ValidationError)]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        assert losers[0].code == "illegal_transition"
        order.refresh_from_db()
        stock = Product.objects.get(pk=order.lines.get().product_id).stock
        if order.status == OrderStatus.CANCELLED:
            assert stock == 5
            assert not Shipment.objects.filter(order=order).exists()
        else:
            assert order.status == OrderStatus.SHIPPED
            assert stock == 3
            assert Shipment.objects.filter(order=order).exists()
        assert order.events.filter(type__in=["cancelled", "shipped"]).count() == 1


def test_a_double_submit_racing_itself_places_once():
    product = ProductFactory(status=ProductStatus.ACTIVE, stock=10)
    buyer = UserFactory()
    address = AddressFactory(buyer=buyer)
    cart = Cart.objects.create(buyer=buyer)
    cart_add(cart=cart, product_id=product.pk, quantity=3)
    quote = cart_view(cart).quote
    key = uuid.uuid4()
    outcomes = run_together(
        [
            lambda: checkout_place(
                buyer=buyer,
                cart=Cart.objects.get(pk=cart.pk),
                address=address,
                provider="simulated",
                idempotency_key=key,
                quote=quote,
            )
            for _ in range(4)
        ]
    )
    assert len({o.pk for o in outcomes}) == 1, outcomes
    assert Order.objects.filter(buyer=buyer).count() == 1
    product.refresh_from_db()
    assert product.stock == 7


def test_quick_taps_on_add_to_cart_all_count():
    product = ProductFactory(status=ProductStatus.ACTIVE, stock=50)
    cart = Cart.objects.create(buyer=UserFactory())
    outcomes = run_together(
        [lambda: cart_add(cart=cart, product_id=product.pk, quantity=1)] * 6
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert cart.items.get().quantity == 6


def test_a_payment_callback_and_a_checkout_crossing_products_never_deadlock():
    """The callback locks its orders, then their products in primary-key order, as
    checkout does; products listed in the other order must not deadlock."""
    from orders.providers import PROVIDERS
    from orders.services.payments import payment_callback

    gateway = PROVIDERS["simulated"]
    for _ in range(5):
        low = ProductFactory(status=ProductStatus.ACTIVE, stock=100)
        high = ProductFactory(status=ProductStatus.ACTIVE, stock=100)
        first = UserFactory()
        # The first storefront's order gets the lower order id, its product the
        # higher product id.
        placed = place_checkout(first, [(high, 1), (low, 1)])
        body, headers = gateway.callback_for(placed.payments.get())
        second = UserFactory()
        address = AddressFactory(buyer=second)
        cart = Cart.objects.create(buyer=second)
        cart_add(cart=cart, product_id=high.pk, quantity=1)
        cart_add(cart=cart, product_id=low.pk, quantity=1)
        quote = cart_view(cart).quote
        outcomes = run_together(
            [
                lambda b=body, h=headers: payment_callback(
                    provider_code="simulated", body=b, headers=h
                ),
                lambda c=cart, a=address, q=quote, u=second: checkout_place(
                    buyer=u,
                    cart=c,
                    address=a,
                    provider="simulated",
                    idempotency_key=uuid.uuid4(),
                    quote=q,
                ),
            ]
        )
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        assert set(placed.orders.values_list("status", flat=True)) == {"paid"}
