"""The on-behalf audit trail: every listing, price, stock, photo and onboarding
action an assistant takes for a farmer is recorded (a farmer's own are not on it:
their edits are their listing's history), and officials of the county read it;
nobody else does."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from assistants.services import NewFarmer, farmer_onboard
from audit.models import AuditEvent
from audit.selectors import events_visible_to
from catalogue.models import ProductStatus
from catalogue.services import listings
from tests.factories import (
    AssistantFactory,
    CategoryFactory,
    CountyFactory,
    UserFactory,
    VillageFactory,
    farmer_of,
)

pytestmark = pytest.mark.django_db
A = AuditEvent.Action


def listing_fields():
    return {
        "category": CategoryFactory(),
        "title": "高山云雾茶",
        "description": "",
        "unit": "box",
        "net_weight_kg": Decimal("0.250"),
        "price": Decimal("88.00"),
        "stock": 10,
    }


def test_each_action_for_a_farmer_is_recorded_and_the_farmers_own_are_not():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    product = listings.product_create(
        farmer=farmer, created_by=assistant.user, **listing_fields()
    )
    listings.product_update(
        product=product, changed_by=assistant.user, price=Decimal("90.00"), stock=12
    )
    listings.product_submit(product=product, actor=assistant.user)
    listings.product_update(product=product, changed_by=farmer.user, stock=11)
    listings.product_archive(product=product, actor=farmer.user)
    listings.product_restore(product=product, actor=assistant.user)
    # The record as its pages read it (staff see every county): the farmer's own
    # edit is their listing's history, and not on it.
    events = list(events_visible_to(UserFactory(role=Role.STAFF)).order_by("pk"))
    own = AuditEvent.objects.exclude(pk__in=[e.pk for e in events]).get()
    assert (own.action, own.actor, own.after) == (
        A.LISTING_CHANGED,
        farmer.user,
        {"stock": 11},
    )
    assert [e.action for e in events] == [
        A.LISTING_CREATED,
        A.LISTING_CHANGED,
        A.LISTING_SUBMITTED,
        A.LISTING_RESTORED,
    ]
    assert all(e.actor == assistant.user and e.farmer == farmer for e in events)
    assert (events[1].before, events[1].after) == (
        {"price": "88.00", "stock": 10},
        {"price": "90.00", "stock": 12},
    )
    assert (events[3].before, events[3].after) == (
        {"status": ProductStatus.ARCHIVED},
        {"status": ProductStatus.DRAFT},
    )
    onboarded = farmer_onboard(
        assistant=assistant,
        farmer=NewFarmer(
            username="new-farmer",
            full_name="王秀英",
            phone="13912345670",
            shop_name="秀英的茶",
            slug="xiuying-tea",
        ),
        new_household={
            "village": VillageFactory(county=assistant.county),
            "head_name": "王大山",
            "members": 3,
        },
    )
    assert AuditEvent.objects.get(farmer=onboarded).action == A.ONBOARDED


def test_the_record_is_read_by_officials_of_the_county_only(client):
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    listings.product_create(
        farmer=farmer, created_by=assistant.user, **listing_fields()
    )
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(assistant.county)
    client.force_login(official)
    page = client.get(reverse("assistants:on_behalf"))
    assert [e.farmer for e in page.context["page_obj"]] == [farmer]
    assert "高山云雾茶" in page.content.decode()
    detail = client.get(reverse("fieldwork:farmer_detail", args=[farmer.pk]))
    assert list(detail.context["audit_events"])
    outsider = UserFactory(role=Role.OFFICIAL)
    outsider.counties.add(CountyFactory())
    client.force_login(outsider)
    assert list(client.get(reverse("assistants:on_behalf")).context["page_obj"]) == []
    client.force_login(AssistantFactory(county=assistant.county).user)
    assert list(client.get(reverse("assistants:on_behalf")).context["page_obj"]) == []
    client.force_login(farmer.user)
    assert client.get(reverse("assistants:on_behalf")).status_code == 403


def test_pages_record_the_actor_for_status_actions(client):
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    product = listings.product_create(
        farmer=farmer, created_by=farmer.user, **listing_fields()
    )
    client.force_login(assistant.user)
    client.post(reverse("catalogue:listing_action", args=[product.pk, "submit"]))
    product.refresh_from_db()
    assert product.status == ProductStatus.PENDING
    assert AuditEvent.objects.get().action == A.LISTING_SUBMITTED
