"""The audit page (/audit/): staff read every event, officials their counties'
only, everyone else is refused; filters are validated (a bad value is a message,
not an error); values typed by users are escaped; the query count does not grow
with the events. Assistants read their farmers' events on the on-behalf page."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from audit.services import record
from catalogue.services import listings
from tests.factories import (
    AssistantFactory,
    CountyFactory,
    FarmerFactory,
    ProductFactory,
    UserFactory,
    farmer_of,
)

pytestmark = pytest.mark.django_db
A = AuditEvent.Action
URL = reverse("audit:events")


@pytest.fixture
def world():
    """County X: an assistant, their farmer with a listing changed for them, and an
    official; county Y: a farmer whose listing staff changed. And staff."""
    x, y = CountyFactory(), CountyFactory()
    assistant = AssistantFactory(county=x)
    mine = farmer_of(assistant)
    theirs = FarmerFactory(household__village__county=y)
    staff = UserFactory(role=Role.STAFF)
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(x)
    listings.product_update(
        product=ProductFactory(farmer=mine),
        changed_by=assistant.user,
        price=Decimal("1.00"),
    )
    listings.product_update(
        product=ProductFactory(farmer=theirs), changed_by=staff, stock=1
    )
    return SimpleNamespace(
        x=x,
        y=y,
        assistant=assistant,
        mine=mine,
        theirs=theirs,
        staff=staff,
        official=official,
        in_x=AuditEvent.objects.get(farmer=mine),
        in_y=AuditEvent.objects.get(farmer=theirs),
    )


def listed(client, user, url=URL, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response, [event.pk for event in response.context["page_obj"]]


def test_staff_see_every_event_and_officials_their_counties(client, world):
    _page, staff_sees = listed(client, world.staff)
    assert sorted(staff_sees) == sorted([world.in_x.pk, world.in_y.pk])
    _page, official_sees = listed(client, world.official)
    assert official_sees == [world.in_x.pk]
    outsider = UserFactory(role=Role.OFFICIAL)
    outsider.counties.add(CountyFactory())
    assert listed(client, outsider)[1] == []


@pytest.mark.parametrize("role", [Role.ASSISTANT, Role.FARMER, Role.BUYER])
def test_other_roles_are_refused(client, world, role):
    client.force_login(UserFactory(role=role))
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_county_outside_the_officials_scope_is_a_form_error(client, world):
    page, rows = listed(client, world.official, county=world.y.pk)
    assert rows == [] and page.context["form"].errors["county"]


def test_filters(client, world):
    assert listed(client, world.staff, county=world.y.pk)[1] == [world.in_y.pk]
    assert listed(client, world.staff, farmer=world.mine.pk)[1] == [world.in_x.pk]
    assert listed(client, world.staff, action=A.ASSIGNED)[1] == []
    today = timezone.localdate()
    assert len(listed(client, world.staff, since=today, until=today)[1]) == 2
    tomorrow = today + timedelta(days=1)
    assert listed(client, world.staff, since=tomorrow)[1] == []


@pytest.mark.parametrize(
    "params",
    [
        {"since": "2020-13-45"},
        {"since": "2021-01-02", "until": "2021-01-01"},
        {"farmer": "99999999999999999999999"},
        {"farmer": "<b>"},
        {"action": "delete_everything"},
        {"county": "abc"},
    ],
)
def test_bad_filters_are_a_message_not_an_error(client, world, params):
    page, rows = listed(client, world.staff, **params)
    assert rows == [] and page.context["form"].errors


def test_values_typed_by_users_are_escaped(client, world):
    product = ProductFactory(farmer=world.mine)
    listings.product_update(
        product=product,
        changed_by=world.assistant.user,
        title="<script>alert(1)</script>",
    )
    listings.product_submit(product=product, actor=world.assistant.user)
    page, _rows = listed(client, world.staff)
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_assistants_read_their_farmers_events_on_the_on_behalf_page(client, world):
    on_behalf = reverse("assistants:on_behalf")
    assert listed(client, world.assistant.user, on_behalf)[1] == [world.in_x.pk]
    colleague = AssistantFactory(county=world.x)
    assert listed(client, colleague.user, on_behalf)[1] == []
    client.force_login(world.assistant.user)
    detail = client.get(reverse("fieldwork:farmer_detail", args=[world.mine.pk]))
    assert [e.pk for e in detail.context["audit_events"]] == [world.in_x.pk]


def fill(county, count):
    """`count` events of two kinds in `county`, by one assistant."""
    assistant = AssistantFactory(county=county)
    farmer = farmer_of(assistant)
    product = ProductFactory(farmer=farmer)
    for n in range(count):
        if n % 2:
            record(
                actor=assistant.user,
                action=A.LISTING_CHANGED,
                subject=product,
                farmer=farmer,
                before={"price": f"{n}.00"},
                after={"price": f"{n + 1}.00"},
            )
        else:
            record(
                actor=assistant.user,
                action=A.HOUSEHOLD_EXITED,
                subject=farmer.household,
                household=farmer.household,
                before={"status": "registered"},
                after={"status": "exited"},
            )


def queries(client, user) -> tuple[int, int]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured.captured_queries), len(response.context["page_obj"])


@pytest.mark.parametrize("role", [Role.STAFF, Role.OFFICIAL])
def test_the_query_count_does_not_grow_with_the_events(client, role):
    county = CountyFactory()
    user = UserFactory(role=role)
    user.counties.add(county)
    fill(county, 5)
    few, rows = queries(client, user)
    assert rows == 5
    fill(county, 45)
    many, rows = queries(client, user)
    assert rows == 50
    assert few == many
