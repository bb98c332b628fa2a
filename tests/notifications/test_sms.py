"""Notifications by text message: each kind that has one goes through the SMS
outbox to the file backend, with its template's parameters; the channels follow
the user (SMS by default without an e-mail address), each user turns kinds on
and off, and a text message given up leaves the in-app message unread, marked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalogue.models import ProductStatus
from catalogue.services.listings import product_approve, product_reject
from fieldwork.services import help_alerts_run
from notifications.channels import SMS_PURPOSE, channels_for
from notifications.messages import _sms_params
from notifications.models import Notification, Preference
from notifications.services import notify
from orders.models import Order
from orders.services.deadlines import warn_shipping_deadlines
from orders.services.transitions import order_ship
from settlement.services.payouts import payout_run
from sms.backends import Backend, SmsError
from sms.models import TextMessage
from tests.factories import (
    AssistantFactory,
    ProductFactory,
    farmer_of,
    order_pay,
    place_order,
)
from tests.settlement.test_payouts import earning_farmer, verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_quiet_hours(settings):
    """These tests are about who is texted what, not when: without quiet hours a
    message leaves at once at any hour the suite runs (they are tested on their
    own clock in tests/sms/test_outbox.py)."""
    settings.SMS_QUIET_HOURS = (0, 0)


Kind = Notification.Kind
_phones = iter(range(10_000_000))


def texted_only(user):
    """The user has no e-mail address and a verified phone (most farmers)."""
    user.email = ""
    user.phone = f"137{next(_phones):08d}"
    user.phone_verified_at = timezone.now()
    user.save()
    return user


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what commits would: the e-mail and SMS tasks."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def sent_to(texts, user) -> list[tuple[str, dict]]:
    return [(t["purpose"], t["params"]) for t in texts() if t["phone"] == user.phone]


def test_every_kind_with_a_text_message_says_what_fills_it():
    assert set(SMS_PURPOSE) <= set(_sms_params)
    assert set(SMS_PURPOSE.values()) <= set(TextMessage.Purpose.values)


def test_a_paid_order_texts_its_farmer(texts, on_commit):
    order = place_order()
    farmer = texted_only(order.farmer.user)
    with on_commit():
        order_pay(order=order)
    assert sent_to(texts, farmer) == [
        ("order_paid", {"number": order.number, "hours": "48"})
    ]
    notification = Notification.objects.get(kind=Kind.ORDER_PAID)
    assert notification.email == Notification.Email.NO_ADDRESS
    assert notification.text_message.status == TextMessage.Status.SENT


def test_a_farmer_is_texted_once_a_day_before_the_shipping_deadline(texts, on_commit):
    orders = {hours: order_pay(order=place_order()) for hours in (10, 25, 47, 50)}
    for hours, order in orders.items():
        texted_only(order.farmer.user)
        Order.objects.filter(pk=order.pk).update(
            paid_at=timezone.now() - timedelta(hours=hours)
        )
    with on_commit():
        assert warn_shipping_deadlines() == 2  # 25 and 47 hours ago
    assert warn_shipping_deadlines() == 0  # once
    for hours, order in orders.items():
        expected = (
            [("ship_soon", {"number": order.number, "hours": "24"})]
            if hours in (25, 47)
            else []
        )
        assert sent_to(texts, order.farmer.user) == expected


def test_the_buyer_is_texted_the_carrier_and_tracking_number(texts, on_commit):
    order = order_pay(order=place_order())
    buyer = texted_only(order.buyer)
    with on_commit():
        order_ship(
            order=order,
            actor=order.farmer.user,
            carrier="sf",
            tracking_number="SF1234567890123",
        )
    assert sent_to(texts, buyer) == [
        (
            "order_shipped",
            {
                "number": order.number,
                "carrier": "顺丰速运",
                "tracking": "SF1234567890123",
            },
        )
    ]


def test_the_farmer_is_texted_the_review_s_decision(texts, on_commit):
    approved = ProductFactory(status=ProductStatus.PENDING, title="高山土豆")
    farmer = texted_only(approved.farmer.user)
    rejected = ProductFactory(status=ProductStatus.PENDING, farmer=approved.farmer)
    with on_commit():
        product_approve(product=approved)
        product_reject(product=rejected, reason="照片不清楚")
    assert sent_to(texts, farmer) == [
        ("listing_approved", {"product": "高山土豆"}),
        ("listing_rejected", {"product": rejected.title}),
    ]


def test_payouts_made_and_held_are_texted_to_the_farmer(texts, on_commit):
    assistant = AssistantFactory()
    paid, held = earning_farmer(assistant, "80.00"), earning_farmer(assistant, "50.00")
    verified(paid, assistant)
    texted_only(paid.user), texted_only(held.user), texted_only(assistant.user)
    with on_commit():
        payout_run()
    assert sent_to(texts, paid.user) == [("payout_sent", {"amount": "80.00"})]
    assert sent_to(texts, held.user) == [("payout_held", {})]
    # The assistant hears of the held payout in the app, not by text.
    assert sent_to(texts, assistant.user) == []
    assert Notification.objects.filter(
        kind=Kind.PAYOUT_HELD, recipient=assistant.user
    ).exists()


def test_the_assistant_is_texted_of_an_overdue_order_only(texts, on_commit):
    assistant = AssistantFactory()
    texted_only(assistant.user)
    late = farmer_of(assistant, shop_name="李家果园")
    product = ProductFactory(farmer=late, status=ProductStatus.ACTIVE, stock=9)
    order = order_pay(order=place_order(product=product))
    Order.objects.filter(pk=order.pk).update(
        paid_at=timezone.now() - timedelta(hours=60)
    )
    farmer_of(assistant)  # no listing: needs help, but no text message for it
    with on_commit():
        help_alerts_run()
    assert sent_to(texts, assistant.user) == [
        ("farmer_overdue", {"shop": "李家果园", "hours": "48"})
    ]
    assert (
        Notification.objects.filter(
            kind=Kind.FARMER_NEEDS_HELP, recipient=assistant.user
        ).count()
        > 1
    )


def test_channels_follow_the_user(make_user):
    with_email = make_user(email="a@example.com")
    assert channels_for(with_email, Kind.ORDER_SHIPPED).email
    assert not channels_for(with_email, Kind.ORDER_SHIPPED).sms
    no_email = texted_only(make_user())
    assert channels_for(no_email, Kind.ORDER_SHIPPED).sms
    # A kind without a text message never goes by SMS.
    assert not channels_for(no_email, Kind.PAYMENTS_TO_CHECK).sms
    # An unverified phone gets nothing.
    no_email.phone_verified_at = None
    assert not channels_for(no_email, Kind.ORDER_SHIPPED).sms


def test_a_kind_turned_off_is_not_texted_nor_mailed(client, texts, on_commit):
    order = place_order()
    farmer = texted_only(order.farmer.user)
    client.force_login(farmer)
    page = client.get("/notifications/settings/")
    assert page.status_code == 200
    fields = page.context["form"].fields
    assert fields["email_order_paid"].disabled  # no address to mail
    assert not fields["sms_order_paid"].disabled
    assert "sms_payout_failed" not in fields  # no text message for that kind
    # Everything on but the paid order's text message.
    data = {
        name: "on"
        for name, field in fields.items()
        if not field.disabled and name != "sms_order_paid"
    }
    saved = client.post("/notifications/settings/", data)
    assert saved.status_code == 302
    assert Preference.objects.get(user=farmer, kind=Kind.ORDER_PAID).sms is False
    assert Preference.objects.get(user=farmer, kind=Kind.SHIP_SOON).sms is True
    with on_commit():
        order_pay(order=order)
    assert sent_to(texts, farmer) == []
    # The in-app message is kept all the same.
    assert Notification.objects.filter(recipient=farmer, kind=Kind.ORDER_PAID).exists()


def test_a_channel_that_could_not_reach_them_keeps_its_default(client, make_user):
    """Settings saved before the phone was verified choose nothing about SMS:
    once it is, the default (SMS without an e-mail address) applies."""
    buyer = make_user(email="")
    client.force_login(buyer)
    assert client.post("/notifications/settings/", {}).status_code == 302
    assert Preference.objects.get(user=buyer, kind=Kind.ORDER_SHIPPED).sms is None
    texted_only(buyer)
    assert channels_for(buyer, Kind.ORDER_SHIPPED).sms


def test_a_buyer_with_e_mail_may_turn_text_messages_on(client, make_user):
    buyer = make_user(email="b@example.com")
    buyer.phone, buyer.phone_verified_at = "13600000001", timezone.now()
    buyer.save()
    client.force_login(buyer)
    client.post("/notifications/settings/", {"sms_order_shipped": "on"})
    shipped = channels_for(buyer, Kind.ORDER_SHIPPED)
    assert shipped.sms and not shipped.email  # e-mail left unticked: off


class Down(Backend):
    def send(self, *, phone, purpose, params):
        raise SmsError("isv.MOBILE_NUMBER_ILLEGAL", retry=False)


def test_a_text_message_given_up_leaves_the_in_app_message_unread(
    settings, client, on_commit
):
    settings.SMS_BACKEND = f"{__name__}.Down"
    order = order_pay(order=place_order())
    buyer = texted_only(order.buyer)
    with on_commit():
        notification = notify(recipient=buyer, kind=Kind.ORDER_SHIPPED, order=order)
        # Read in the app meanwhile, say by "mark all as read".
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
    notification.refresh_from_db()
    assert notification.text_message.status == TextMessage.Status.FAILED
    assert notification.read_at is None
    client.force_login(buyer)
    assert "短信未送达" in client.get("/notifications/").content.decode()
