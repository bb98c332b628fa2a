"""Pickup points: staff and a county's officials open and change them
(audited; another county's official is refused); a storefront that offers
pickup lets its buyer collect at an open point of its county with no shipping
fee, chosen at checkout; a point it does not offer is refused and nothing is
placed."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from catalogue.models import Product, ProductStatus
from orders.carts import cart_view
from orders.models import Cart, Order
from orders.services.cart import cart_add
from orders.services.checkout import checkout_place
from shipping.models import ChargeBy, PickupPoint
from shipping.services import pickup_point_save
from tests.factories import (
    AddressFactory,
    CountyFactory,
    FarmerFactory,
    ProductFactory,
    UserFactory,
    shipping_template,
)

pytestmark = pytest.mark.django_db
D = Decimal


def official_of(county):
    official = UserFactory(role="official")
    official.counties.add(county)
    return official


def point_fields(county, name="石板村服务站", **changes):
    return {
        "county": county,
        "name": name,
        "kind": PickupPoint.Kind.STATION,
        "address": "石板村村委会旁",
        "opening_hours": "每天 8:00–18:00",
        "phone": "",
        "active": True,
        **changes,
    }


def test_a_countys_official_opens_and_changes_a_point_audited():
    county = CountyFactory()
    official = official_of(county)
    point = pickup_point_save(actor=official, **point_fields(county))
    pickup_point_save(actor=official, point=point, **point_fields(county, active=False))
    events = AuditEvent.objects.filter(action="pickup_point_saved").order_by("pk")
    assert [e.after for e in events][1] == {"active": False}
    assert events[0].after["name"] == "石板村服务站"
    with pytest.raises(ValidationError, match="your own counties"):
        pickup_point_save(
            actor=official_of(CountyFactory()), **point_fields(county, name="x")
        )
    assert PickupPoint.objects.count() == 1
    staff = UserFactory(role="staff")
    pickup_point_save(actor=staff, **point_fields(county, name="县城超市"))
    assert PickupPoint.objects.count() == 2


@pytest.fixture
def basket():
    """Rice from a storefront that offers pickup at its county's point (and
    charges ¥8 to deliver), in a Beijing buyer's cart."""
    farmer = FarmerFactory(ships_free=False)
    county = farmer.household.village.county
    shipping_template(
        farmer,
        charge_by=ChargeBy.WEIGHT,
        first=D("8.00"),
        additional=D("4.00"),
        offers_pickup=True,
    )
    point = PickupPoint.objects.create(**point_fields(county))
    elsewhere = PickupPoint.objects.create(**point_fields(CountyFactory()))
    rice = ProductFactory(farmer=farmer, status=ProductStatus.ACTIVE, price=D("50.00"))
    buyer = UserFactory()
    address = AddressFactory(buyer=buyer, region="北京市 朝阳区", division_id="110105")
    cart = Cart.objects.create(buyer=buyer)
    cart_add(cart=cart, product_id=rice.pk, quantity=1)
    return buyer, address, cart, rice, point, elsewhere


def place(buyer, address, cart, pickups):
    return checkout_place(
        buyer=buyer,
        cart=cart,
        address=address,
        provider="simulated",
        idempotency_key=uuid.uuid4(),
        quote=cart_view(cart, to=address.province).quote,
        pickups=pickups,
    )


def test_the_buyer_picks_up_at_the_point_with_no_fee(basket):
    buyer, address, cart, rice, point, _elsewhere = basket
    view = cart_view(cart, to=address.province)
    assert view.groups[0].shipping == D("8.00")
    assert view.groups[0].pickups == [point]
    checkout = place(buyer, address, cart, {rice.farmer_id: point.pk})
    order = checkout.orders.get()
    assert (order.shipping_fee, order.total, order.pickup_point) == (0, D("50"), point)
    assert order.shipping_address == f"{point.name} {point.address}"
    assert checkout.payments.get().amount == D("50.00")


def test_a_point_not_offered_is_refused_and_nothing_placed(basket):
    buyer, address, cart, rice, point, elsewhere = basket
    with pytest.raises(ValidationError, match="no such pickup point"):
        place(buyer, address, cart, {rice.farmer_id: elsewhere.pk})
    PickupPoint.objects.filter(pk=point.pk).update(active=False)
    with pytest.raises(ValidationError, match="no such pickup point"):
        place(buyer, address, cart, {rice.farmer_id: point.pk})
    assert not Order.objects.exists()
    assert Product.objects.get(pk=rice.pk).stock == 20


def test_a_storefront_that_does_not_offer_pickup_offers_no_point(basket):
    buyer, address, cart, rice, point, _elsewhere = basket
    shipping_template(
        rice.farmer,
        charge_by=ChargeBy.WEIGHT,
        first=D("8.00"),
        additional=D("4.00"),
    )
    assert cart_view(cart, to=address.province).groups[0].pickups == []
    with pytest.raises(ValidationError, match="no such pickup point"):
        place(buyer, address, cart, {rice.farmer_id: point.pk})


def test_the_checkout_page_offers_pickup_and_places_it(basket, client):
    buyer, address, cart, rice, point, _elsewhere = basket
    client.force_login(buyer)
    page = client.get(reverse("orders:checkout"))
    field = f"pickup_{rice.farmer_id}"
    assert field in page.context["form"].fields
    assert point.name in page.content.decode()
    form = page.context["form"]
    response = client.post(
        reverse("orders:checkout"),
        {
            "place": "1",
            "address": address.pk,
            "provider": "simulated",
            "idempotency_key": str(uuid.uuid4()),
            "quote": form["quote"].value(),
            field: str(point.pk),
        },
    )
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.pickup_point == point and order.shipping_fee == 0
    detail = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert point.address in detail and point.opening_hours in detail


def test_officials_list_their_counties_points_only(client):
    county, other = CountyFactory(), CountyFactory()
    mine = PickupPoint.objects.create(**point_fields(county))
    theirs = PickupPoint.objects.create(**point_fields(other))
    client.force_login(official_of(county))
    listed = list(client.get(reverse("shipping:points")).context["page_obj"])
    assert listed == [mine]
    assert client.get(reverse("shipping:point", args=[theirs.pk])).status_code == 404
