"""Accepting a unit's goods: a member accepts each line in full or in part, with
a reason and photos for what is refused; the refused part is refunded and its
stock comes back, the rest is completed and earned; nothing accepted refunds
the order. Accepting twice, more than was delivered, before shipping, or a
refusal without a reason: a message, nothing changed. Only the unit's members
decide; the order's own "confirm receipt" and automatic completion do not apply;
a delivery nobody decides on is accepted whole after UNIT_ACCEPT_DAYS, and the
unit is told. The ledger's invariants hold throughout."""

import html
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from accounts.models import Role
from audit.models import AuditEvent
from catalogue.models import ProductStatus
from notifications.messages import render
from notifications.models import Notification
from orders.models import Order, OrderStatus, Refund
from orders.services.deadlines import complete_unconfirmed_orders
from orders.services.transfers import transfer_received
from orders.services.transitions import actions_for, order_refund, order_ship
from procurement.models import Acceptance, UnitOrder
from procurement.services.acceptance import accept_overdue
from settlement.invariants import first_mismatch
from settlement.models import Entry
from tests.factories import AddressFactory, ProductFactory, UserFactory
from tests.procurement.conftest import joined, unit_checkout

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def english(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def jpeg(name="bad-apples.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 80, 20)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


@pytest.fixture
def shipped(unit_and_admin, staff):
    """A unit's order of 100 bags of rice at ¥52.50 and 40 jars of honey at
    ¥88.00 from one storefront, paid by transfer and shipped."""
    unit, admin = unit_and_admin
    buyer = joined(unit, by=admin).user
    AddressFactory(buyer=buyer)
    rice = ProductFactory(
        status=ProductStatus.ACTIVE, price=Decimal("52.50"), stock=150
    )
    honey = ProductFactory(
        status=ProductStatus.ACTIVE,
        price=Decimal("88.00"),
        stock=50,
        farmer=rice.farmer,
    )
    checkout = unit_checkout(buyer, [(rice, 100), (honey, 40)])
    payment = checkout.payments.get()
    transfer_received(
        payment=payment, bank_reference="B90001", amount=payment.amount, actor=staff
    )
    order = checkout.orders.get()
    order_ship(
        order=order,
        actor=order.farmer.user,
        carrier="sf",
        tracking_number="SF123456789012",
    )
    return UnitOrder.objects.get(order=order), buyer, rice, honey


def accept(client, unit_order, **body):
    lines = {line.title: line for line in unit_order.order.lines.all()}
    data = {f"line_{line.pk}": line.quantity for line in lines.values()}
    for title, quantity in body.pop("lines", {}).items():
        data[f"line_{lines[title].pk}"] = quantity
    data.update(body)
    url = reverse("procurement:accept", args=[unit_order.pk])
    return client.post(url, data, follow=True)


def test_a_part_is_refused_refunded_and_restocked_the_rest_earned(shipped):
    unit_order, buyer, rice, honey = shipped
    order = unit_order.order
    assert order.total == Decimal("8770.00")  # 100 × 52.50 + 40 × 88.00
    response = accept(
        english(buyer),
        unit_order,
        lines={rice.title: 92},
        reason="8 bags were wet",
        photo_1=jpeg(),
    )
    assert "Recorded." in text(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    refunds = Refund.objects.filter(order=order)
    assert refunds.aggregate(t=Sum("amount"))["t"] == Decimal("420.00")  # 8 × 52.50
    rice.refresh_from_db(), honey.refresh_from_db()
    assert (rice.stock, honey.stock) == (58, 10)  # 150 - 100 + 8; honey all taken
    earning = Entry.objects.get(order=order, kind=Entry.Kind.EARNING)
    credited = sum(p.amount for p in earning.postings.all() if p.amount < 0)
    assert -credited == Decimal("8350.00")  # 8770.00 - 420.00
    decided = Acceptance.objects.get(unit_order=unit_order)
    assert decided.decided_by == buyer and decided.refused_amount == Decimal("420.00")
    assert decided.photos.count() == 1
    assert {
        (row.line.title, row.accepted, row.refused) for row in decided.lines.all()
    } == {
        (rice.title, 92, 8),
        (honey.title, 40, 0),
    }
    event = AuditEvent.objects.get(action=AuditEvent.Action.UNIT_ORDER_ACCEPTED)
    assert event.after["refused_amount"] == "420.00" and event.note == "8 bags were wet"
    told = Notification.objects.get(
        recipient=order.farmer.user, kind="unit_goods_decided"
    )
    assert told.order == order
    assert first_mismatch() is None


def test_nothing_accepted_refunds_the_order_and_restocks_once(shipped):
    unit_order, buyer, rice, honey = shipped
    accept(
        english(buyer),
        unit_order,
        lines={rice.title: 0, honey.title: 0},
        reason="spoilt",
    )
    order = Order.objects.get(pk=unit_order.order_id)
    assert order.status == OrderStatus.REFUNDED
    rice.refresh_from_db(), honey.refresh_from_db()
    assert (rice.stock, honey.stock) == (150, 50)
    assert (
        Refund.objects.filter(order=order).aggregate(t=Sum("amount"))["t"]
        == order.total
    )
    assert first_mismatch() is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"lines": {"RICE": 101}}, "Ensure this value is less than or equal to 100."),
        ({"lines": {"RICE": -1}}, "Ensure this value is greater than or equal to 0."),
        ({"lines": {"RICE": "x"}}, "Enter a whole number."),
        ({"lines": {"RICE": 90}}, "Say why you refuse what you do not accept."),
        ({"lines": {"RICE": 90}, "reason": "r" * 501}, "at most 500 characters"),
        (
            {"lines": {"RICE": 90}, "reason": "wet", "photo_1": "NOT_A_PHOTO"},
            "This file is not a photo we can read.",
        ),
    ],
)
def test_bad_input_changes_nothing(shipped, body, message):
    unit_order, buyer, rice, _honey = shipped
    lines = body.pop("lines")
    body = {
        k: SimpleUploadedFile("x.jpg", b"<html>") if v == "NOT_A_PHOTO" else v
        for k, v in body.items()
    }
    response = accept(
        english(buyer), unit_order, lines={rice.title: lines["RICE"]}, **body
    )
    assert message in text(response)
    assert not Acceptance.objects.exists() and not Refund.objects.exists()
    assert Order.objects.get(pk=unit_order.order_id).status == OrderStatus.SHIPPED
    rice.refresh_from_db()
    assert rice.stock == 50


def test_goods_are_accepted_once(shipped):
    unit_order, buyer, _rice, _honey = shipped
    client = english(buyer)
    accept(client, unit_order)
    page = text(client.get(reverse("procurement:accept", args=[unit_order.pk])))
    assert "Decided by" in page and "Record the acceptance" not in page
    accept(client, unit_order, lines={}, reason="again")
    assert Acceptance.objects.count() == 1 and not Refund.objects.exists()


def test_goods_not_shipped_cannot_be_accepted(shipped, unit_and_admin):
    unit_order, buyer, _rice, _honey = shipped
    Order.objects.filter(pk=unit_order.order_id).update(status=OrderStatus.PAID)
    page = text(english(buyer).get(reverse("procurement:accept", args=[unit_order.pk])))
    assert "There is nothing to accept here yet" in page
    accept(english(buyer), unit_order)
    assert not Acceptance.objects.exists()


def test_only_the_units_members_decide(shipped, staff):
    unit_order, _buyer, _rice, _honey = shipped
    url = reverse("procurement:accept", args=[unit_order.pk])
    stranger = UserFactory(role=Role.BUYER)
    assert english(stranger).post(url).status_code == 404
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(unit_order.unit.county)
    page = english(official).get(url)
    assert page.status_code == 200 and "Record the acceptance" not in text(page)
    accept(english(official), unit_order)
    accept(english(staff), unit_order)
    assert not Acceptance.objects.exists()


def test_confirming_receipt_and_auto_completion_leave_unit_orders_alone(shipped):
    unit_order, buyer, _rice, _honey = shipped
    order = Order.objects.get(pk=unit_order.order_id)
    assert "complete" not in actions_for(order, buyer)
    Order.objects.filter(pk=order.pk).update(
        shipped_at=timezone.now() - timedelta(days=30)
    )
    assert complete_unconfirmed_orders() == 0
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SHIPPED


def test_a_delivery_nobody_decides_on_is_accepted_whole_and_the_unit_told(
    shipped, unit_and_admin
):
    unit_order, buyer, _rice, _honey = shipped
    _unit, admin = unit_and_admin
    assert accept_overdue() == 0  # shipped just now
    Order.objects.filter(pk=unit_order.order_id).update(
        shipped_at=timezone.now() - timedelta(days=8)
    )
    assert accept_overdue() == 1
    decided = Acceptance.objects.get(unit_order=unit_order)
    assert decided.decided_by is None and decided.refused_amount == 0
    assert Order.objects.get(pk=unit_order.order_id).status == OrderStatus.COMPLETED
    told = set(
        Notification.objects.filter(kind="unit_goods_decided").values_list(
            "recipient", flat=True
        )
    )
    assert {buyer.pk, admin.pk, unit_order.order.farmer.user_id} <= told
    assert accept_overdue() == 0  # once
    assert first_mismatch() is None


def test_a_refund_after_a_part_refusal_restocks_only_the_rest(shipped, staff):
    unit_order, buyer, rice, honey = shipped
    accept(english(buyer), unit_order, lines={rice.title: 92}, reason="8 bags wet")
    order_refund(order=Order.objects.get(pk=unit_order.order_id), actor=staff)
    rice.refresh_from_db(), honey.refresh_from_db()
    assert (rice.stock, honey.stock) == (150, 50)  # as before the order, once
    assert (rice.units_sold, honey.units_sold) == (0, 0)  # refunded: none sold
    assert first_mismatch() is None


def test_the_farmer_is_told_when_everything_was_refused(shipped):
    unit_order, buyer, rice, honey = shipped
    accept(
        english(buyer), unit_order, lines={rice.title: 0, honey.title: 0}, reason="x"
    )
    told = Notification.objects.get(
        recipient=unit_order.order.farmer.user, kind="unit_goods_decided"
    )
    with translation.override("en"):
        message = render(told)
    assert "was refused whole" in message.text
