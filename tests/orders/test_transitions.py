"""The status pipeline: every legal transition, every illegal one refused (nothing
changes), who may ask for which, the event log, stock and money on the way back,
expiry, and pay on delivery collected when the checkout's last order completes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role
from catalogue.models import Product, ProductStatus
from notifications.models import Notification
from orders.models import (
    Order,
    OrderEvent,
    OrderStatus,
    Payment,
    PaymentProviderCode,
    PaymentStatus,
)
from orders.providers import PROVIDERS
from orders.services import deadlines, transitions
from orders.services.payments import payment_callback
from orders.services.sold import products_recount_sold
from tests.factories import ProductFactory, UserFactory, place_checkout, place_order

pytestmark = pytest.mark.django_db
S = OrderStatus


def pay(order):
    payment = order.checkout.payments.get()
    body, headers = PROVIDERS[payment.provider].callback_for(payment)
    payment_callback(provider_code=payment.provider, body=body, headers=headers)
    return Order.objects.get(pk=order.pk)


def order_in(status: str) -> Order:
    """An order brought to `status` through the services."""
    order = place_order(product=ProductFactory(status=ProductStatus.ACTIVE, stock=10))
    staff = UserFactory(role=Role.STAFF)
    farmer = order.farmer.user
    steps = {
        S.PENDING_PAYMENT: [],
        S.PAID: [pay],
        S.SHIPPED: [pay, lambda o: ship(o, farmer)],
        S.DELIVERED: [
            pay,
            lambda o: ship(o, farmer),
            lambda o: transitions.order_deliver(order=o, actor=farmer),
        ],
        S.COMPLETED: [
            pay,
            lambda o: ship(o, farmer),
            lambda o: transitions.order_complete(order=o, actor=o.buyer),
        ],
        S.CANCELLED: [lambda o: transitions.order_cancel(order=o, actor=o.buyer)],
        S.REFUNDED: [pay, lambda o: transitions.order_refund(order=o, actor=staff)],
    }[status]
    for step in steps:
        order = step(order)
    order.refresh_from_db()
    assert order.status == status
    return order


def ship(order, actor):
    return transitions.order_ship(
        order=order, actor=actor, carrier="other", tracking_number="EMS123456"
    )


# (action, statuses it may start from); the rest must be refused.
LEGAL = {name: rule.sources for name, rule in transitions.TRANSITIONS.items()}


def actor_for(action: str, order: Order):
    if action in ("pay", "expire"):
        return None
    if action in ("ship", "deliver"):
        return order.farmer.user
    if action == "refund":
        return UserFactory(role=Role.STAFF)
    return order.buyer


def run(action: str, order: Order, actor=None):
    if action == "pay":
        return transitions.orders_pay(orders=[order])[0]
    if action == "expire":
        Order.objects.filter(pk=order.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        return transitions.order_expire(order=order)
    if action == "ship":
        return ship(order, actor)
    return getattr(transitions, f"order_{action}")(order=order, actor=actor)


CASES = [(action, status) for action in LEGAL for status in S.values]


@pytest.mark.parametrize(("action", "status"), CASES)
def test_each_transition_from_each_status(action, status):
    order = order_in(status)
    events = order.events.count()
    actor = actor_for(action, order)
    if status in LEGAL[action]:
        result = run(action, order, actor)
        order.refresh_from_db()
        assert order.status == transitions.TRANSITIONS[action].target
        assert result is not None
        event = order.events.last()
        assert event.type == transitions.TRANSITIONS[action].event
        assert event.actor == actor
        assert order.events.count() == events + 1
        return
    if action == "expire":  # the expiry job skips what is not awaiting payment
        assert run(action, order) is None
    else:
        with pytest.raises(ValidationError) as error:
            run(action, order, actor)
        assert error.value.code == "illegal_transition"
    order.refresh_from_db()
    assert order.status == status
    assert order.events.count() == events


@pytest.mark.parametrize(
    ("action", "who"),
    [
        ("ship", "buyer"),
        ("ship", "other_farmer"),
        ("cancel", "other_buyer"),
        ("complete", "farmer"),
        ("refund", "buyer"),
        ("refund", "farmer"),
        ("deliver", "buyer"),
    ],
)
def test_only_the_orders_parties_may_act(action, who):
    order = order_in(S.SHIPPED if action in ("complete", "deliver") else S.PAID)
    actor = {
        "buyer": order.buyer,
        "farmer": order.farmer.user,
        "other_farmer": ProductFactory().farmer.user,
        "other_buyer": UserFactory(),
    }[who]
    kwargs = (
        {"carrier": "other", "tracking_number": "X1234"} if action == "ship" else {}
    )
    with pytest.raises(ValidationError) as error:
        getattr(transitions, f"order_{action}")(order=order, actor=actor, **kwargs)
    assert error.value.code == "not_allowed"
    assert Order.objects.get(pk=order.pk).status == order.status


def test_actions_for_lists_what_each_party_may_do():
    order = order_in(S.PAID)
    assert transitions.actions_for(order, order.buyer) == ["cancel"]
    assert transitions.actions_for(order, order.farmer.user) == ["ship", "cancel"]
    assert transitions.actions_for(order, UserFactory(role=Role.ASSISTANT)) == []


def stock_of(order) -> int:
    return Product.objects.get(pk=order.lines.get().product_id).stock


@pytest.mark.parametrize("status", [S.PENDING_PAYMENT, S.PAID])
def test_cancel_returns_the_stock_and_refunds_what_was_paid(status):
    order = order_in(status)
    assert stock_of(order) == 9
    transitions.order_cancel(order=order, actor=order.buyer, note="changed my mind")
    assert stock_of(order) == 10
    payment = Payment.objects.get(checkout=order.checkout)
    expected = order.total if status == S.PAID else Decimal("0")
    assert payment.refunded == expected
    assert order.events.last().note == "changed my mind"


def test_refund_returns_stock_and_money():
    order = order_in(S.COMPLETED)
    transitions.order_refund(order=order, actor=UserFactory(role=Role.STAFF))
    assert stock_of(order) == 10
    assert Payment.objects.get(checkout=order.checkout).refunded == order.total


def test_pay_on_delivery_cancel_refunds_nothing():
    order = place_order(
        product=ProductFactory(status=ProductStatus.ACTIVE),
        provider=PaymentProviderCode.ON_DELIVERY,
    )
    transitions.order_cancel(order=order, actor=order.farmer.user)
    assert Payment.objects.get(checkout=order.checkout).refunded == 0
    assert stock_of(order) == 20


def test_expiry_cancels_overdue_unpaid_orders_and_releases_stock():
    overdue = order_in(S.PENDING_PAYMENT)
    fresh = order_in(S.PENDING_PAYMENT)
    paid = order_in(S.PAID)
    Order.objects.filter(pk__in=[overdue.pk, paid.pk]).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert deadlines.expire_unpaid_orders() == 1
    assert deadlines.expire_unpaid_orders() == 0  # idempotent
    overdue.refresh_from_db()
    assert overdue.status == S.CANCELLED
    assert overdue.events.last().type == OrderEvent.Type.EXPIRED
    assert overdue.events.last().actor is None
    assert stock_of(overdue) == 10
    assert Order.objects.get(pk=fresh.pk).status == S.PENDING_PAYMENT
    assert Order.objects.get(pk=paid.pk).status == S.PAID


def test_orders_expire_thirty_minutes_after_placement(settings):
    order = order_in(S.PENDING_PAYMENT)
    assert settings.ORDER_PAYMENT_MINUTES == 30
    assert order.expires_at - order.placed_at == timedelta(minutes=30)


def test_paid_tells_the_farmer_and_assistant_and_shipped_tells_the_buyer():
    from tests.factories import AssignmentFactory

    assignment = AssignmentFactory()
    product = ProductFactory(status=ProductStatus.ACTIVE, farmer=assignment.farmer)
    order = pay(place_order(product=product))
    paid = Notification.objects.filter(order=order)
    assert {(n.recipient, n.kind) for n in paid} == {
        (assignment.farmer.user, Notification.Kind.ORDER_PAID),
        (assignment.assistant.user, Notification.Kind.FARMER_ORDER_PAID),
    }
    ship(order, order.farmer.user)
    assert (
        Notification.objects.get(
            recipient=order.buyer, kind=Notification.Kind.ORDER_SHIPPED
        ).order
        == order
    )


def test_units_sold_follow_payment_cancel_and_refund_and_match_a_recount():
    product = ProductFactory(status=ProductStatus.ACTIVE, stock=50)
    sold = lambda: Product.objects.get(pk=product.pk).units_sold  # noqa: E731
    unpaid = place_order(product=product, quantity=2)
    assert sold() == 0
    pay(unpaid)
    assert sold() == 2
    delivered_later = place_order(
        product=product, quantity=3, provider=PaymentProviderCode.ON_DELIVERY
    )
    assert sold() == 5
    transitions.order_cancel(order=unpaid, actor=unpaid.buyer)
    assert sold() == 3
    transitions.order_refund(order=delivered_later, actor=UserFactory(role=Role.STAFF))
    assert sold() == 0
    kept = pay(place_order(product=product, quantity=4))
    expired = place_order(product=product, quantity=1)
    Order.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    deadlines.expire_unpaid_orders()
    assert sold() == 4
    Product.objects.filter(pk=product.pk).update(units_sold=999)
    products_recount_sold()
    assert sold() == kept.lines.get().quantity == 4


def test_the_catalogue_sorts_by_best_selling(client):
    slow, fast = (ProductFactory(status=ProductStatus.ACTIVE) for _ in range(2))
    pay(place_order(product=fast, quantity=5))
    pay(place_order(product=slow, quantity=1))
    newest = ProductFactory(status=ProductStatus.ACTIVE)
    page = client.get("/products/?sort=best")
    assert [p.pk for p in page.context["page_obj"]] == [fast.pk, slow.pk, newest.pk]
    api = client.get("/api/catalogue/products/?ordering=-units_sold").json()
    assert [row["id"] for row in api["results"]] == [fast.pk, slow.pk, newest.pk]
    assert api["results"][0]["units_sold"] == 5


def test_pay_on_delivery_is_collected_when_the_last_order_completes():
    a, b = (
        ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("10.00")),
        ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("5.00")),
    )
    checkout = place_checkout(
        UserFactory(), [(a, 1), (b, 1)], provider=PaymentProviderCode.ON_DELIVERY
    )
    kept, dropped = (
        checkout.orders.get(farmer=a.farmer),
        checkout.orders.get(farmer=b.farmer),
    )
    transitions.order_cancel(order=dropped, actor=b.farmer.user)
    payment = Payment.objects.get(checkout=checkout)
    assert (payment.amount, payment.status) == (Decimal("10.00"), PaymentStatus.PENDING)
    transitions.order_ship(
        order=kept, actor=a.farmer.user, carrier="other", tracking_number="E1234"
    )
    transitions.order_complete(order=kept, actor=checkout.buyer)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
