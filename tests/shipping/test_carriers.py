"""The carriers' list: each carrier's own example passes its check, numbers of
another shape are refused with the carrier's example, spaces and case are
forgiven, the buyer gets a tracking link, and shipping stores the number as
checked (an order shipped with a bad one stays paid)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from orders.models import OrderStatus, Shipment
from orders.services.transitions import order_ship
from shipping.carriers import CARRIERS, OTHER, tracking_clean, tracking_link
from tests.factories import place_order
from tests.settlement.conftest import pay

WRONG = {
    "sf": "1234",
    "ems": "SF1234567890123",
    "post": "1123456789012",
    "jd": "JD12",
    "zto": "1234567890123",
    "yto": "YT123",
    "sto": "12345",
    "yunda": "12345678901234",
    "jt": "JT12345",
    "deppon": "DPK1",
    OTHER: "<b>",
}


def test_the_list_holds_the_common_carriers():
    assert {"sf", "ems", "jd", "zto", "yto", "sto", "yunda", "jt"} <= set(CARRIERS)
    assert set(WRONG) == set(CARRIERS)


@pytest.mark.parametrize("code", list(CARRIERS))
def test_each_carriers_example_passes_and_a_wrong_shape_is_refused(code):
    carrier = CARRIERS[code]
    assert tracking_clean(code, carrier.example) == carrier.example
    with pytest.raises(ValidationError) as refused:
        tracking_clean(code, WRONG[code])
    assert carrier.example in refused.value.messages[0]


def test_spaces_and_lower_case_are_forgiven():
    assert tracking_clean("sf", " sf 1234 5678 9012 3 ") == "SF1234567890123"


def test_an_unknown_carrier_is_refused():
    with pytest.raises(ValidationError, match="Choose a carrier from the list"):
        tracking_clean("dhl", "1234567890")


def test_the_tracking_link_names_the_carrier_and_the_number():
    assert tracking_link("sf", "SF1234567890123") == (
        "https://www.kuaidi100.com/chaxun?com=shunfeng&nu=SF1234567890123"
    )
    assert tracking_link(OTHER, "AB-1234") == ""
    assert tracking_link("顺丰速运", "SF1") == ""  # text kept from before the list


@pytest.mark.django_db
def test_shipping_stores_the_checked_number_and_a_bad_one_changes_nothing():
    order = place_order()
    pay(order.checkout)
    with pytest.raises(ValidationError):
        order_ship(
            order=order,
            actor=order.farmer.user,
            carrier="yto",
            tracking_number="SF1234567890123",
        )
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert not Shipment.objects.exists()
    order_ship(
        order=order,
        actor=order.farmer.user,
        carrier="yto",
        tracking_number="yt 1234567890123",
    )
    shipment = Shipment.objects.get(order=order)
    assert (shipment.carrier, shipment.tracking_number) == ("yto", "YT1234567890123")
    assert shipment.carrier_name == "YTO Express (圆通速递)"
    with translation.override("zh-hans"):
        assert shipment.carrier_name == "圆通速递"
    assert "com=yuantong" in shipment.tracking_link
