"""A unit's orders: the buyer places the cart for the unit (one order per
storefront, stock taken at placement, bulk quantities), with a delivery date
after today and a purchase-order reference, paid by company bank transfer: the
page gives the platform's account, the reference to quote and the amount, and
the orders wait BANK_TRANSFER_DAYS for it. Staff record the transfer with the
bank's reference and the amount: then the orders are paid and the ledger has
the money. A wrong amount, a reference recorded before, a bad reference, a
past date, more than the stock: each a message, nothing changed."""

import html
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from catalogue.models import Product, ProductStatus
from orders.carts import cart_view
from orders.models import (
    Cart,
    Order,
    OrderStatus,
    Payment,
    PaymentProviderCode,
    PaymentStatus,
    Refund,
)
from orders.providers.base import Buyer, Device
from orders.services.cart import cart_add
from orders.services.payments import payment_start
from orders.services.transitions import order_cancel
from procurement.models import UnitOrder
from procurement.services.units import unit_order_place
from settlement.invariants import first_mismatch
from settlement.models import Entry
from tests.factories import AddressFactory, ProductFactory, UserFactory, place_checkout
from tests.procurement.conftest import joined

pytestmark = pytest.mark.django_db
BULK = [("48.00", 400), ("125.50", 100), ("9.90", 1500)]  # ¥19,200 + 12,550 + 14,850


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def unit_buyer(unit_and_admin):
    unit, admin = unit_and_admin
    buyer = joined(unit, by=admin).user
    AddressFactory(buyer=buyer, recipient="食堂 张师傅")
    return buyer


def fill_cart(buyer, lines=BULK) -> list[Product]:
    cart, _ = Cart.objects.get_or_create(buyer=buyer)
    products = []
    for price, quantity in lines:
        product = ProductFactory(
            status=ProductStatus.ACTIVE, price=Decimal(price), stock=quantity + 10
        )
        cart_add(cart=cart, product_id=product.pk, quantity=quantity)
        products.append(product)
    return products


def english(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def place(client, buyer, **changes):
    cart = Cart.objects.get(buyer=buyer)
    body = {
        "address": buyer.addresses.get().pk,
        "deliver_by": (timezone.localdate() + timedelta(days=5)).isoformat(),
        "purchase_reference": "CG-2026-0815",
        "idempotency_key": str(uuid.uuid4()),
        "quote": cart_view(cart, to=buyer.addresses.get().province).quote,
        **changes,
    }
    return client.post(reverse("procurement:checkout"), body, follow=True)


def test_the_unit_orders_across_storefronts_and_is_told_how_to_pay(unit_buyer):
    products = fill_cart(unit_buyer)
    client = english(unit_buyer)
    assert "Order for my unit" in text(client.get(reverse("orders:cart")))
    response = place(client, unit_buyer)
    orders = Order.objects.filter(buyer=unit_buyer)
    assert orders.count() == 3
    expected = sum(Decimal(p) * q for p, q in BULK)
    assert expected == Decimal("46600.00")
    assert orders.aggregate(t=Sum("total"))["t"] == expected
    payment = Payment.objects.get(checkout__buyer=unit_buyer)
    assert payment.provider == PaymentProviderCode.BANK_TRANSFER
    assert payment.amount == expected
    page = text(response)
    assert "Pay by company bank transfer" in page
    assert f"ZF{payment.pk:08d}" in page and "6228480000000000000" in page
    assert "46600.00" in page
    rows = UnitOrder.objects.filter(order__in=orders)
    assert rows.count() == 3
    assert set(rows.values_list("purchase_reference", flat=True)) == {"CG-2026-0815"}
    for product in products:
        product.refresh_from_db()
        assert product.stock == 10  # each had its quantity and 10 more
    waits = orders.first().expires_at - orders.first().placed_at
    assert waits == timedelta(days=7)
    unit_page = text(client.get("/units/"))
    assert "CG-2026-0815" in unit_page and orders.first().number in unit_page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"deliver_by": "2020-01-01"}, "The delivery date must be after today."),
        ({"deliver_by": "today"}, "Enter a valid date."),
        ({"purchase_reference": ""}, "This field is required."),
        ({"purchase_reference": "x" * 41}, "at most 40 characters"),
    ],
)
def test_bad_input_places_nothing(unit_buyer, changes, message):
    fill_cart(unit_buyer)
    if changes.get("deliver_by") == "today":
        changes = {"deliver_by": timezone.localdate().isoformat()}
        message = "The delivery date must be after today."
    response = place(english(unit_buyer), unit_buyer, **changes)
    assert message in text(response)
    assert not Order.objects.exists() and not UnitOrder.objects.exists()


def test_more_than_the_stock_places_nothing(unit_buyer):
    (product,) = fill_cart(unit_buyer, [("20.00", 300)])
    Product.objects.filter(pk=product.pk).update(stock=250)
    response = place(english(unit_buyer), unit_buyer)
    assert "Only 250 left of" in text(response)
    assert not Order.objects.exists()
    product.refresh_from_db()
    assert product.stock == 250


def test_a_buyer_outside_every_unit_cannot_order_for_one():
    buyer = UserFactory(role=Role.BUYER)
    AddressFactory(buyer=buyer)
    fill_cart(buyer, [("10.00", 2)])
    response = place(english(buyer), buyer)
    assert "You do not belong to a work unit" in text(response)
    assert not Order.objects.exists()


def test_retail_checkout_does_not_offer_transfer_nor_start_it(unit_buyer):
    with pytest.raises(ValidationError):
        place_checkout(
            UserFactory(),
            [(ProductFactory(status="active"), 1)],
            provider=PaymentProviderCode.BANK_TRANSFER,
        )
    fill_cart(unit_buyer, [("10.00", 2)])
    place(english(unit_buyer), unit_buyer)
    checkout = Order.objects.get(buyer=unit_buyer).checkout
    with pytest.raises(ValidationError, match="bank transfer"):
        payment_start(checkout=checkout, buyer=Buyer(Device.DESKTOP))


@pytest.fixture
def awaited(unit_buyer):
    fill_cart(unit_buyer)
    place(english(unit_buyer), unit_buyer)
    return Payment.objects.get(checkout__buyer=unit_buyer)


def record(staff, payment, **body):
    url = reverse("procurement:transfer_receive", args=[payment.pk])
    return english(staff).post(url, body, follow=True)


def test_staff_record_the_transfer_and_the_orders_are_paid(awaited, staff):
    listing = english(staff).get(reverse("procurement:transfers"))
    assert f"ZF{awaited.pk:08d}" in text(listing)
    response = record(
        staff, awaited, bank_reference="B2026120300017", amount="46600.00"
    )
    assert "The transfer is recorded" in text(response)
    awaited.refresh_from_db()
    assert (awaited.status, awaited.transaction_id) == (
        PaymentStatus.PAID,
        "B2026120300017",
    )
    paid = Order.objects.filter(checkout=awaited.checkout, status=OrderStatus.PAID)
    assert paid.count() == 3
    entry = Entry.objects.get(payment=awaited, kind=Entry.Kind.BUYER_PAID)
    assert sum(p.amount for p in entry.postings.all() if p.amount > 0) == Decimal(
        "46600.00"
    )
    assert (
        english(staff)
        .get(reverse("procurement:transfer_receive", args=[awaited.pk]))
        .status_code
        == 404
    )  # no longer awaited


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"bank_reference": "B1", "amount": "46600.00"}, "4 to 64 letters"),
        ({"bank_reference": "B 2026", "amount": "46600.00"}, "4 to 64 letters"),
        ({"bank_reference": "B2026", "amount": "46599.99"}, "is not the amount due"),
        ({"bank_reference": "B2026", "amount": "-1"}, "greater than or equal to 0.01"),
        ({"bank_reference": "B2026", "amount": "NaN"}, "Enter a number."),
    ],
)
def test_a_bad_record_changes_nothing(awaited, staff, body, message):
    response = record(staff, awaited, **body)
    assert message in text(response)
    awaited.refresh_from_db()
    assert awaited.status == PaymentStatus.PENDING and awaited.transaction_id is None
    assert not Entry.objects.filter(payment=awaited).exists()


def test_a_bank_reference_is_recorded_once(awaited, staff, unit_buyer):
    record(staff, awaited, bank_reference="B2026120300017", amount="46600.00")
    fill_cart(unit_buyer, [("10.00", 3)])
    place(english(unit_buyer), unit_buyer)
    second = Payment.objects.get(checkout__buyer=unit_buyer, status="pending")
    response = record(staff, second, bank_reference="B2026120300017", amount="30.00")
    assert "is already recorded. Check the bank statement." in text(response)
    second.refresh_from_db()
    assert second.status == PaymentStatus.PENDING


def test_a_cancelled_order_lowers_the_amount_due(awaited, staff, unit_buyer):
    first = Order.objects.filter(checkout=awaited.checkout).order_by("pk").first()
    order_cancel(order=first, actor=unit_buyer)
    due = Decimal("46600.00") - first.total
    page = text(english(staff).get(reverse("procurement:transfers")))
    assert f"{due:.2f}" in page
    record(staff, awaited, bank_reference="B77770001", amount=f"{due:.2f}")
    awaited.refresh_from_db()
    assert awaited.status == PaymentStatus.PAID and awaited.amount == due
    # It paid for the orders still waiting: nothing is refunded for the one
    # cancelled unpaid, and the ledger holds.
    assert not Refund.objects.exists() and awaited.refunded == 0
    assert first_mismatch() is None


def test_a_checkout_with_every_order_closed_is_not_awaited(awaited, staff, unit_buyer):
    for order in Order.objects.filter(checkout=awaited.checkout):
        order_cancel(order=order, actor=unit_buyer)
    listing = english(staff).get(reverse("procurement:transfers"))
    assert list(listing.context["page_obj"]) == []


def test_the_key_of_another_checkout_is_not_made_the_units(unit_buyer):
    key = uuid.uuid4()
    retail = place_checkout(unit_buyer, [(ProductFactory(status="active"), 1)], key=key)
    fill_cart(unit_buyer, [("10.00", 2)])
    cart = Cart.objects.get(buyer=unit_buyer)
    with pytest.raises(ValidationError, match="used already"):
        unit_order_place(
            member=unit_buyer.unit_membership,
            cart=cart,
            address=unit_buyer.addresses.get(),
            deliver_by=timezone.localdate() + timedelta(days=3),
            purchase_reference="X-1",
            idempotency_key=key,
            quote=cart_view(cart, to=unit_buyer.addresses.get().province).quote,
        )
    assert not UnitOrder.objects.exists()
    assert not retail.orders.get().completes_on_acceptance


def test_only_staff_record_transfers(awaited, unit_buyer):
    url = reverse("procurement:transfer_receive", args=[awaited.pk])
    response = english(unit_buyer).post(url, {"bank_reference": "B1234", "amount": "1"})
    assert response.status_code == 403
    awaited.refresh_from_db()
    assert awaited.status == PaymentStatus.PENDING


def test_the_transfers_page_costs_the_same_queries_however_many(staff, unit_buyer):
    client = english(staff)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("procurement:transfers")).status_code == 200
        return len(captured)

    fill_cart(unit_buyer, [("10.00", 1)])
    place(english(unit_buyer), unit_buyer)
    few = queries()
    for _ in range(4):
        fill_cart(unit_buyer, [("10.00", 1)])
        place(english(unit_buyer), unit_buyer)
    assert queries() == few


def test_the_unit_checkout_shows_and_charges_the_shipping_fee(unit_buyer):
    """A storefront on the default template charges its fee on the unit's order
    too: shown on the unit's checkout page (to the address chosen), and in the
    quote the page sends back."""
    farmer = ProductFactory().farmer
    farmer.shipping_template.delete()  # bulk-loaded: the default applies
    rice = ProductFactory(
        farmer=farmer,
        status=ProductStatus.ACTIVE,
        price=Decimal("50.00"),
        net_weight_kg=Decimal("10.000"),
        stock=100,
    )
    cart, _ = Cart.objects.get_or_create(buyer=unit_buyer)
    cart_add(cart=cart, product_id=rice.pk, quantity=2)
    client = english(unit_buyer)
    page = client.get(reverse("procurement:checkout"))
    fee = Decimal("8.00") + 19 * Decimal("4.00")  # 20 kg to Hubei: ¥84
    assert f"¥{fee}" in text(page)
    response = place(client, unit_buyer, quote=page.context["form"]["quote"].value())
    assert response.status_code == 200
    order = Order.objects.get(farmer=farmer)
    assert (order.shipping_fee, order.total) == (fee, Decimal("100.00") + fee)
