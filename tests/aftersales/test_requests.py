"""Asking for after-sales, and where the money and the goods go: a refund only
gives the money back and keeps the stock as it is; a return gives it back
once the goods are back in stock; a case covering all the order refunds the
whole order. The ledger reverses the farmer's earning. Bad requests (more than
was bought, after the window, twice for a line, not the buyer, not yet
received, photos that are not images) are refused and write nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from aftersales.models import AfterSale, AfterSaleLine, AfterSalePhoto
from aftersales.services import aftersale_move, aftersale_request
from catalogue.models import Product
from orders.models import Order, OrderStatus, Refund
from orders.services.transitions import order_complete, order_refund_part
from settlement.invariants import first_mismatch
from tests.factories import UserFactory
from tests.settlement.conftest import K, owed

pytestmark = pytest.mark.django_db
ADDRESS = "李秀英 13900000000 湖北省恩施州巴东县 茶店子镇 1 号"


def ask(order, quantities, kind=AfterSale.Kind.RETURN, buyer=None, photos=()):
    return aftersale_request(
        order=order,
        buyer=buyer or order.buyer,
        kind=kind,
        reason=AfterSale.Reason.SPOILED,
        quantities=quantities,
        photos=list(photos),
    )


def stock(line):
    return Product.objects.get(pk=line.product_id).stock


def test_a_return_refunds_once_the_goods_are_back_in_stock(received):
    order, rice, _honey = received
    assert stock(rice) == 7
    case = ask(order, {rice.pk: 1})
    assert case.amount == Decimal("50.00")
    case = aftersale_move(
        case=case, action="accept", actor=order.farmer.user, return_address=ADDRESS
    )
    assert not Refund.objects.exists() and stock(rice) == 7  # not back yet
    aftersale_move(case=case, action="returned", actor=order.farmer.user)
    refund = Refund.objects.get(order=order)
    assert refund.amount == Decimal("50.00")
    assert stock(rice) == 8
    rice.refresh_from_db()
    assert rice.returned == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DELIVERED
    assert first_mismatch() is None


def test_a_refund_only_gives_the_money_back_and_not_the_stock(received):
    order, _rice, honey = received
    case = ask(order, {honey.pk: 2}, kind=AfterSale.Kind.REFUND)
    aftersale_move(case=case, action="accept", actor=order.assistant.user)
    assert Refund.objects.get(order=order).amount == Decimal("60.00")
    assert stock(honey) == 8
    assert first_mismatch() is None


def test_a_case_covering_the_whole_order_refunds_the_order(received):
    order, rice, honey = received
    case = ask(order, {rice.pk: 3, honey.pk: 2})
    case = aftersale_move(
        case=case, action="accept", actor=order.farmer.user, return_address=ADDRESS
    )
    aftersale_move(case=case, action="returned", actor=order.farmer.user)
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert Refund.objects.get(order=order).amount == order.total == Decimal("210.00")
    assert (stock(rice), stock(honey)) == (10, 10)
    assert first_mismatch() is None


def test_after_completion_the_refund_reverses_the_farmers_earning(received):
    order, rice, _honey = received
    order_complete(order=order, actor=order.buyer)
    assert owed(order.farmer, K.FARMER_PENDING) == Decimal("210.00")
    case = ask(order, {rice.pk: 2}, kind=AfterSale.Kind.REFUND)
    aftersale_move(case=case, action="accept", actor=order.farmer.user)
    assert owed(order.farmer, K.FARMER_PENDING) == Decimal("110.00")
    assert first_mismatch() is None


def nothing_written():
    assert not AfterSale.objects.exists()
    assert not AfterSaleLine.objects.exists()
    assert not AfterSalePhoto.objects.exists()


def test_more_than_was_bought_is_refused(received):
    order, rice, _honey = received
    with pytest.raises(ValidationError, match="at most 3"):
        ask(order, {rice.pk: 4})
    nothing_written()


def test_nothing_chosen_is_refused(received):
    order, rice, honey = received
    with pytest.raises(ValidationError, match="Choose at least one"):
        ask(order, {rice.pk: 0, honey.pk: 0})
    nothing_written()


def test_after_the_window_is_refused(received):
    order, rice, _honey = received
    Order.objects.filter(pk=order.pk).update(
        delivered_at=timezone.now() - timedelta(days=7, minutes=1)
    )
    order.refresh_from_db()
    with pytest.raises(ValidationError, match="open for 7 days"):
        ask(order, {rice.pk: 1})
    nothing_written()


def test_the_same_line_twice_is_refused(received):
    order, rice, honey = received
    ask(order, {rice.pk: 1})
    with pytest.raises(ValidationError, match="asked about already"):
        ask(order, {rice.pk: 1, honey.pk: 1})
    assert AfterSale.objects.count() == 1
    assert AfterSaleLine.objects.count() == 1


def test_another_buyer_or_an_order_not_received_is_refused(received, db):
    order, rice, _honey = received
    with pytest.raises(ValidationError, match="cannot be asked about"):
        ask(order, {rice.pk: 1}, buyer=UserFactory())
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.SHIPPED, delivered_at=None
    )
    order.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot be asked about"):
        ask(order, {rice.pk: 1})
    nothing_written()


def test_the_page_refuses_photos_that_are_not_images(received, client):
    order, rice, _honey = received
    client.force_login(order.buyer)
    url = reverse("aftersales:new", args=[order.pk])
    fake = SimpleUploadedFile("spoiled.jpg", b"not a picture", "image/jpeg")
    response = client.post(
        url,
        {
            "kind": "return",
            "reason": "spoiled",
            f"line_{rice.pk}": "1",
            "photo_1": fake,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["photo_1"] == [
        "This file is not a photo we can read."
    ]
    nothing_written()


def test_the_buyer_asks_on_the_page_and_the_farmer_answers(received, client):
    order, rice, _honey = received
    client.force_login(order.buyer)
    detail = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert reverse("aftersales:new", args=[order.pk]) in detail
    response = client.post(
        reverse("aftersales:new", args=[order.pk]),
        {"kind": "return", "reason": "damaged", f"line_{rice.pk}": "2"},
    )
    case = AfterSale.objects.get()
    assert response.url == reverse("aftersales:case", args=[case.pk])
    farmer = type(client)(HTTP_ACCEPT_LANGUAGE="en")
    farmer.force_login(order.farmer.user)
    page = farmer.get(reverse("aftersales:case", args=[case.pk])).content.decode()
    assert "Accept the return" in page and "Refuse" in page
    assert order.number in farmer.get(reverse("aftersales:list")).content.decode()
    farmer.post(
        reverse("aftersales:move", args=[case.pk, "accept"]),
        {"return_address": ADDRESS, "note": ""},
    )
    case.refresh_from_db()
    assert case.status == AfterSale.Status.AWAITING_RETURN
    buyer_page = client.get(reverse("aftersales:case", args=[case.pk])).content
    assert ADDRESS in buyer_page.decode()
    # Someone else's case is not found.
    stranger = type(client)()
    stranger.force_login(UserFactory())
    assert stranger.get(reverse("aftersales:case", args=[case.pk])).status_code == 404


def test_paid_order_total_and_stock_before(received):
    """The fixture itself: what the tests above start from."""
    order, rice, honey = received
    assert order.total == Decimal("210.00")
    assert (stock(rice), stock(honey)) == (7, 8)


def test_two_refund_only_cases_covering_the_order_refund_it_whole(received):
    """The second case covers the rest: the order is refunded whole (all that
    was paid, no more), though the first case's units never came back."""
    order, rice, honey = received
    first = ask(order, {rice.pk: 3}, kind=AfterSale.Kind.REFUND)
    aftersale_move(case=first, action="accept", actor=order.farmer.user)
    second = ask(order, {honey.pk: 2}, kind=AfterSale.Kind.REFUND)
    aftersale_move(case=second, action="accept", actor=order.farmer.user)
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    refunded = sum(r.amount for r in Refund.objects.filter(order=order))
    assert refunded == order.total == Decimal("210.00")
    assert (stock(rice), stock(honey)) == (7, 8)  # the buyer kept the goods
    assert first_mismatch() is None


def test_a_case_worth_more_than_is_left_refunds_what_is_left(received):
    order, rice, _honey = received
    staff = UserFactory(role="staff")
    order_refund_part(order=order, actor=staff, amount=Decimal("180.00"))
    case = ask(order, {rice.pk: 1}, kind=AfterSale.Kind.REFUND)  # ¥50, ¥30 left
    aftersale_move(case=case, action="accept", actor=order.farmer.user)
    refunded = sum(r.amount for r in Refund.objects.filter(order=order))
    assert refunded == order.total == Decimal("210.00")
    assert first_mismatch() is None


def test_only_granting_a_return_sets_its_address(received):
    order, rice, _honey = received
    case = ask(order, {rice.pk: 1})
    aftersale_move(case=case, action="refuse", actor=order.farmer.user, note="无破损")
    aftersale_move(
        case=case, action="escalate", actor=order.buyer, return_address="买家写的地址"
    )
    case.refresh_from_db()
    assert case.return_address == ""
