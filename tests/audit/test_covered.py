"""Every sensitive change writes exactly one audit row with its actor, and the
changed fields before and after; changes a farmer or buyer makes to their own
things write none, except a farmer's own listing edits: those are the listing's
history, and the trail's pages leave them out. The register import, a bulk path,
writes one row per household."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from assistants.services import NewFarmer, assignment_assign, farmer_onboard
from audit.models import AuditEvent
from audit.selectors import events_visible_to
from catalogue.services import listings
from farmers.models import RegisterStatus
from farmers.services import (
    farmer_verify,
    household_exit_register,
    register_import_apply,
    register_import_upload,
)
from fieldwork import services
from orders.services.transitions import order_cancel, order_refund
from tests.factories import (
    AssistantFactory,
    CountyFactory,
    FarmerFactory,
    ProductFactory,
    UserFactory,
    VillageFactory,
    farmer_of,
    order_pay,
    place_order,
)
from tests.farmers.test_register_import import csv_upload, row

pytestmark = pytest.mark.django_db
A = AuditEvent.Action
FIGURES = {
    "members": 4,
    "other_agriculture": Decimal("1200.00"),
    "wages": Decimal("6000.00"),
    "business": Decimal("0"),
    "transfers": Decimal("800.00"),
    "dibao": Decimal("500.00"),
    "other_income": Decimal("0"),
    "production_costs": Decimal("300.00"),
    "living_costs": Decimal("5000.00"),
}


def only_event():
    """The one event written (fails if there are none or several)."""
    return AuditEvent.objects.get()


def test_price_and_stock_edited_for_a_farmer():
    assistant = AssistantFactory()
    product = ProductFactory(farmer=farmer_of(assistant), price=Decimal("68.00"))
    listings.product_update(
        product=product, changed_by=assistant.user, price=Decimal("59.5"), stock=20
    )
    event = only_event()
    assert (event.action, event.actor, event.farmer) == (
        A.LISTING_CHANGED,
        assistant.user,
        product.farmer,
    )
    assert (event.before, event.after) == ({"price": "68.00"}, {"price": "59.50"})
    assert event.county == assistant.county
    assert event.subject_label == product.title


def test_the_quick_edit_page_is_recorded(client):
    assistant = AssistantFactory()
    product = ProductFactory(farmer=farmer_of(assistant), stock=20)
    client.force_login(assistant.user)
    client.post(
        reverse("catalogue:listing_quick", args=[product.pk]),
        {"price": "68.00", "stock": "5", "stock_seen": "20"},
    )
    event = only_event()
    assert (event.before, event.after) == ({"stock": 20}, {"stock": 5})
    assert event.actor == assistant.user


def test_other_listing_fields_are_recorded_too():
    assistant = AssistantFactory()
    product = ProductFactory(farmer=farmer_of(assistant), title="Honey")
    listings.product_update(
        product=product, changed_by=assistant.user, title="Wild honey"
    )
    assert only_event().after == {"title": "Wild honey"}


def test_a_farmers_own_edit_is_their_listings_history_not_the_trails_pages():
    """The farmer's own edit is an event about the listing (its history), and the
    trail's readers (events_visible_to: the audit page, the on-behalf record, the
    household file) leave it out."""
    assistant = AssistantFactory()
    product = ProductFactory(farmer=farmer_of(assistant))
    listings.product_update(
        product=product, changed_by=product.farmer.user, price=Decimal("1.00")
    )
    event = only_event()
    assert (event.action, event.actor, event.farmer) == (
        A.LISTING_CHANGED,
        product.farmer.user,
        product.farmer,
    )
    assert (event.before, event.after) == ({"price": "68.00"}, {"price": "1.00"})
    for reader in (assistant.user, UserFactory(role=Role.STAFF)):
        assert not events_visible_to(reader).exists()


def test_assign_and_reassign():
    county = CountyFactory()
    first, second = AssistantFactory(county=county), AssistantFactory(county=county)
    farmer = FarmerFactory(household__village__county=county)
    official = UserFactory(role=Role.OFFICIAL)
    assignment_assign(farmer=farmer, assistant=first, assigned_by=official)
    event = only_event()
    assert (event.action, event.actor, event.farmer) == (A.ASSIGNED, official, farmer)
    assert (event.before, event.after) == ({}, {"assistant": str(first)})
    assignment_assign(farmer=farmer, assistant=second, assigned_by=official)
    event = AuditEvent.objects.exclude(pk=event.pk).get()
    assert event.action == A.REASSIGNED
    assert (event.before, event.after) == (
        {"assistant": str(first)},
        {"assistant": str(second)},
    )
    # The same assistant again changes nothing and records nothing.
    assignment_assign(farmer=farmer, assistant=second, assigned_by=official)
    assert AuditEvent.objects.count() == 2


def test_bulk_assignment_writes_one_row_per_farmer(client):
    county = CountyFactory()
    assistant = AssistantFactory(county=county)
    farmers = FarmerFactory.create_batch(3, household__village__county=county)
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(county)
    client.force_login(official)
    client.post(
        reverse("assistants:assignment_list"),
        {"farmers": [f.pk for f in farmers], "assistant": assistant.pk},
    )
    events = AuditEvent.objects.filter(action=A.ASSIGNED)
    assert sorted(e.farmer_id for e in events) == sorted(f.pk for f in farmers)
    assert {e.actor for e in events} == {official}


def test_onboarding_with_a_new_household_is_one_row():
    assistant = AssistantFactory()
    farmer = farmer_onboard(
        assistant=assistant,
        farmer=NewFarmer(
            username="li-na",
            full_name="李娜",
            phone="13912345678",
            shop_name="李娜的茶",
            slug="lina-tea",
        ),
        new_household={
            "village": VillageFactory(county=assistant.county),
            "head_name": "李大山",
            "members": 3,
            "status": RegisterStatus.REGISTERED,
            "registration_number": "R-77",
            "registration_year": 2016,
        },
    )
    event = only_event()  # the assignment is part of it, not a second row
    assert (event.action, event.actor, event.farmer) == (
        A.ONBOARDED,
        assistant.user,
        farmer,
    )
    assert event.after["phone"] == "13912345678"
    assert event.after["assistant"] == str(assistant)
    assert event.after["household.status"] == RegisterStatus.REGISTERED
    assert event.after["household.registration_number"] == "R-77"
    assert event.household == farmer.household


def test_farm_verification():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    farmer_verify(farmer=farmer, verified_by=assistant.user)
    event = only_event()
    assert (event.action, event.actor) == (A.FARM_VERIFIED, assistant.user)
    assert event.before == {"verified_at": None, "verified_by": None}
    assert event.after["verified_by"] == str(assistant.user)


def test_household_exit():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant, household__registered=True)
    household_exit_register(
        household=farmer.household,
        exited_on=date(2020, 6, 30),
        reason="脱贫",
        recorded_by=assistant.user,
    )
    event = only_event()
    assert (event.action, event.actor, event.note) == (
        A.HOUSEHOLD_EXITED,
        assistant.user,
        "脱贫",
    )
    assert (event.before, event.after) == (
        {"status": RegisterStatus.REGISTERED, "exited_on": None},
        {"status": RegisterStatus.EXITED, "exited_on": "2020-06-30"},
    )
    assert event.household == farmer.household and event.farmer is None


@pytest.fixture
def register_county():
    county = CountyFactory(code="529901", name="County C")
    VillageFactory(county=county, name="Shiban")
    return county


def test_the_register_import_writes_one_row_per_household(register_county):
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(register_county)
    rows = [row(f"R{n:03d}") for n in range(4)]
    first = register_import_upload(upload=csv_upload(rows), uploaded_by=official)
    register_import_apply(register_import=first, user=official)
    events = AuditEvent.objects.filter(action=A.HOUSEHOLD_IMPORTED)
    assert events.count() == 4
    assert {e.actor for e in events} == {official}
    assert {e.county for e in events} == {register_county}
    assert {e.after["registration_number"] for e in events} == {
        "R000",
        "R001",
        "R002",
        "R003",
    }
    # Again, with one household changed: one row, for that household only.
    rows[2] = row("R002", members="6")
    again = register_import_upload(upload=csv_upload(rows), uploaded_by=official)
    register_import_apply(register_import=again, user=official)
    event = AuditEvent.objects.get(action=A.HOUSEHOLD_REIMPORTED)
    assert (event.before, event.after) == ({"members": 4}, {"members": 6})
    assert event.subject_id == events.get(after__registration_number="R002").subject_id


def test_surveys_recorded_and_corrected():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    year = date.today().year - 1
    survey = services.survey_record(
        household=farmer.household, year=year, recorded_by=assistant.user, **FIGURES
    )
    event = only_event()
    assert (event.action, event.actor) == (A.SURVEY_RECORDED, assistant.user)
    assert event.after["wages"] == "6000.00" and event.after["year"] == year
    assert event.household == farmer.household
    services.survey_correct(
        survey=survey,
        changed_by=assistant.user,
        **{**FIGURES, "wages": Decimal("6100")},
    )
    event = AuditEvent.objects.get(action=A.SURVEY_CORRECTED)
    assert (event.before, event.after) == ({"wages": "6000.00"}, {"wages": "6100.00"})


def test_orders_cancelled_or_refunded_by_staff():
    staff = UserFactory(role=Role.STAFF)
    order = order_pay(order=place_order())
    order_refund(order=order, actor=staff, note="damaged in transit")
    event = only_event()
    assert (event.action, event.actor, event.note) == (
        A.ORDER_REFUNDED,
        staff,
        "damaged in transit",
    )
    assert (event.before, event.after) == ({"status": "paid"}, {"status": "refunded"})
    assert (event.farmer, event.county) == (order.farmer, order.county)
    cancelled = order_cancel(order=place_order(), actor=staff, note="fraud")
    event = AuditEvent.objects.get(action=A.ORDER_CANCELLED)
    assert event.subject_id == cancelled.pk and event.actor == staff


def test_an_order_cancelled_by_its_buyer_is_not_an_audit_event():
    order = place_order()
    order_cancel(order=order, actor=order.buyer)
    assert not AuditEvent.objects.exists()
