"""Who sees which orders, through the pages and the API, for every role: the
buyer, the farmer, their assistant, officials of the county, and everyone else."""

import pytest
from django.urls import reverse

from accounts.models import Role
from catalogue.models import ProductStatus
from tests.factories import (
    AssignmentFactory,
    AssistantFactory,
    CountyFactory,
    ProductFactory,
    UserFactory,
    place_order,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    assignment = AssignmentFactory()
    farmer = assignment.farmer
    order = place_order(
        product=ProductFactory(status=ProductStatus.ACTIVE, farmer=farmer)
    )
    other = place_order()  # another buyer, farmer and county
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(order.county)
    outsider = UserFactory(role=Role.OFFICIAL)
    outsider.counties.add(CountyFactory())
    return {
        "order": order,
        "other": other,
        "people": {
            "buyer": (order.buyer, True),
            "other_buyer": (other.buyer, False),
            "farmer": (farmer.user, True),
            "other_farmer": (other.farmer.user, False),
            "assistant": (assignment.assistant.user, True),
            "other_assistant": (
                AssistantFactory(county=order.county).user,
                False,
            ),
            "official": (official, True),
            "other_official": (outsider, False),
            "staff": (UserFactory(role=Role.STAFF), True),
        },
    }


PEOPLE = [
    "buyer",
    "other_buyer",
    "farmer",
    "other_farmer",
    "assistant",
    "other_assistant",
    "official",
    "other_official",
    "staff",
]


@pytest.mark.parametrize("who", PEOPLE)
def test_order_page_and_api_detail(client, world, who):
    user, sees = world["people"][who]
    order = world["order"]
    client.force_login(user)
    page = client.get(reverse("orders:detail", args=[order.pk]))
    api = client.get(f"/api/orders/{order.pk}/")
    assert page.status_code == (200 if sees else 404)
    assert api.status_code == (200 if sees else 404)


# Which of the two orders each person's list holds.
LISTS = {
    "buyer": {"order"},
    "other_buyer": {"other"},
    "farmer": {"order"},
    "other_farmer": {"other"},
    "assistant": {"order"},
    "other_assistant": set(),
    "official": {"order"},
    "other_official": set(),
    "staff": {"order", "other"},
}


@pytest.mark.parametrize("who", PEOPLE)
def test_lists_hold_only_the_callers_orders(client, world, who):
    client.force_login(world["people"][who][0])
    expected = {world[key].pk for key in LISTS[who]}
    ids = {row["id"] for row in client.get("/api/orders/").json()["results"]}
    assert ids == expected
    page = {
        "buyer": "orders:home",
        "farmer": "orders:to_ship",
        "assistant": "orders:farmers_orders",
        "official": "orders:farmers_orders",
    }.get(who.removeprefix("other_"))
    if page:
        query = "?show=all" if page == "orders:to_ship" else ""
        listed = client.get(reverse(page) + query).context["page_obj"]
        assert {order.pk for order in listed} == expected


def test_anonymous_users_are_sent_to_sign_in_or_refused(client, world):
    order = world["order"]
    assert client.get(reverse("orders:detail", args=[order.pk])).status_code == 302
    assert client.get("/api/orders/").status_code in (401, 403)
    assert client.get(reverse("orders:home")).status_code == 302


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        ("buyer", "orders:home", 200),
        ("farmer", "orders:home", 403),
        ("farmer", "orders:to_ship", 200),
        ("buyer", "orders:to_ship", 403),
        ("assistant", "orders:to_ship", 403),
        ("assistant", "orders:farmers_orders", 200),
        ("official", "orders:farmers_orders", 200),
        ("farmer", "orders:farmers_orders", 403),
        ("buyer", "orders:farmers_orders", 403),
    ],
)
def test_role_pages(client, world, who, name, status):
    client.force_login(world["people"][who][0])
    assert client.get(reverse(name)).status_code == status


@pytest.mark.parametrize("who", ["other_farmer", "buyer", "assistant", "official"])
def test_only_the_orders_farmer_ships_it(client, world, who):
    from tests.factories import order_pay

    order = order_pay(order=world["order"])
    client.force_login(world["people"][who][0])
    response = client.post(
        reverse("orders:ship", args=[order.pk]),
        {"carrier": "other", "tracking_number": "EMS12345"},
    )
    assert response.status_code in (403, 404)
    api = client.post(
        f"/api/orders/{order.pk}/ship/",
        {"carrier": "other", "tracking_number": "EMS12345"},
        content_type="application/json",
    )
    assert api.status_code in (403, 404)
    order.refresh_from_db()
    assert order.status == "paid"


def test_packing_slip_is_the_farmers(client, world):
    order = world["order"]
    client.force_login(world["people"]["farmer"][0])
    slip = client.get(reverse("orders:packing_slip", args=[order.pk]))
    assert slip.status_code == 200
    assert order.recipient in slip.content.decode()
    client.force_login(world["people"]["other_farmer"][0])
    assert (
        client.get(reverse("orders:packing_slip", args=[order.pk])).status_code == 404
    )
    client.force_login(world["people"]["buyer"][0])
    assert (
        client.get(reverse("orders:packing_slip", args=[order.pk])).status_code == 403
    )


def test_buyer_api_for_carts_and_checkout_is_buyers_only(client, world):
    client.force_login(world["people"]["farmer"][0])
    assert client.get("/api/cart/").status_code == 403
    assert (
        client.post("/api/checkouts/", {}, content_type="application/json").status_code
        == 403
    )
    assert client.get("/api/addresses/").status_code == 403
