"""Refunds of bank-transfer payments (goods a unit refused) wait on staff's page
until staff record the bank transfer that sent them back; a reference recorded
once, a refund sent once, a bad reference: a message, nothing changed."""

import html

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from orders.models import Refund
from tests.procurement.test_acceptance import accept, english, shipped  # noqa: F401

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def refused(shipped, staff):  # noqa: F811
    unit_order, buyer, rice, _honey = shipped
    accept(english(buyer), unit_order, lines={rice.title: 92}, reason="8 bags wet")
    return Refund.objects.get(order=unit_order.order), english(staff)


def send(client, refund, reference):
    url = reverse("procurement:transfer_refund_send", args=[refund.pk])
    return client.post(url, {"bank_reference": reference}, follow=True)


def test_staff_record_a_refund_sent_back_once(refused):
    refund, staff = refused
    page = text(staff.get(reverse("procurement:transfer_refunds")))
    assert refund.refund_id in page and "420.00" in page
    response = send(staff, refund, "HK20261203001")
    assert "the refund was sent back to the unit" in text(response)
    refund.refresh_from_db()
    assert refund.provider_refund_id == "HK20261203001"
    event = AuditEvent.objects.get(action=AuditEvent.Action.TRANSFER_REFUND_SENT)
    assert event.after == {"bank_reference": "HK20261203001", "amount": "420.00"}
    page = text(staff.get(reverse("procurement:transfer_refunds")))
    assert refund.refund_id not in page
    again = staff.post(
        reverse("procurement:transfer_refund_send", args=[refund.pk]),
        {"bank_reference": "HK20261203002"},
    )
    assert again.status_code == 404  # no longer owed


@pytest.mark.parametrize(
    "reference, message",
    [
        ("B90001", "is already recorded"),  # the unit's own transfer's reference
        ("<b>", "4 to 64 letters, digits or dashes"),
    ],
)
def test_a_bad_reference_changes_nothing(refused, reference, message):
    refund, staff = refused
    response = send(staff, refund, reference)
    assert message in text(response)
    refund.refresh_from_db()
    assert refund.provider_refund_id == ""
    assert not AuditEvent.objects.filter(
        action=AuditEvent.Action.TRANSFER_REFUND_SENT
    ).exists()
