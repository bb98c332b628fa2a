"""The audit trail itself: diff() keeps only changed fields as JSON, events are
append-only (no update or delete through the model, a queryset or the admin), they
outlive their subject, and they are written inside the change's transaction."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.db import transaction
from django.test import RequestFactory
from django.utils import translation

from accounts.models import Role, User
from audit.models import AuditEvent
from audit.services import diff, record, snapshot
from farmers.models import Household, RegisterStatus
from tests.factories import (
    FarmerFactory,
    HouseholdFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
A = AuditEvent.Action


def test_diff_keeps_only_changed_fields_as_json():
    product = ProductFactory(price=Decimal("12.5"), stock=3)
    before = snapshot(product, ["price", "stock", "title"])
    assert before["price"] == "12.50"  # money at the field's decimal places
    product.price, product.stock = Decimal("13"), 3
    assert diff(before, product, ["price", "stock", "title"]) == (
        {"price": "12.50"},
        {"price": "13.00"},
    )
    household = HouseholdFactory()
    old = snapshot(household, ["exited_on", "village"])
    household.exited_on = date(2020, 6, 30)
    assert diff(old, household, ["exited_on", "village"]) == (
        {"exited_on": None},
        {"exited_on": "2020-06-30"},
    )
    # Nothing before (a creation): only the fields given a value.
    _none, after = diff(None, household, ["head_name", "registration_number"])
    assert after == {"head_name": household.head_name}
    assert diff({"status": "paid"}, {"status": "paid"}, ["status"]) == ({}, {})


def test_events_are_append_only():
    household = HouseholdFactory()
    staff = UserFactory(role=Role.STAFF)
    event = record(
        actor=staff,
        action=A.HOUSEHOLD_EXITED,
        subject=household,
        household=household,
        after={"status": RegisterStatus.EXITED},
    )
    event.note = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().note == ""
    admin = site._registry[AuditEvent]
    request = RequestFactory().get("/admin/")
    request.user = staff
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, event)
    assert not admin.has_delete_permission(request, event)


def test_an_event_outlives_its_subject_and_keeps_its_name():
    household = HouseholdFactory(head_name="王大山")
    event = record(
        actor=None, action=A.HOUSEHOLD_IMPORTED, subject=household, household=household
    )
    county = household.village.county_id
    Household.objects.filter(pk=household.pk).delete()
    event = AuditEvent.objects.get()
    assert event.household is None and event.county_id == county
    assert event.subject_label.startswith("王大山")
    assert event.actor is None  # the platform itself


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    household = HouseholdFactory()
    with pytest.raises(RuntimeError):
        record(actor=None, action=A.HOUSEHOLD_IMPORTED, subject=household)
    with transaction.atomic():
        record(actor=None, action=A.HOUSEHOLD_IMPORTED, subject=household)
    assert AuditEvent.objects.count() == 1


def test_the_admin_cannot_change_what_the_trail_covers(client):
    """Households (register status and all) are read-only in the admin, and a
    farmer's household and verification cannot be changed there."""
    root = User.objects.create_superuser("root", "root@example.com", "x-long-pass-99")
    farmer = FarmerFactory()
    other = HouseholdFactory(registered=True)
    client.force_login(root)
    household_url = f"/admin/farmers/household/{other.pk}/change/"
    response = client.post(household_url, {"status": RegisterStatus.EXITED})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == RegisterStatus.REGISTERED
    client.post(
        f"/admin/farmers/farmer/{farmer.pk}/change/",
        {
            "user": farmer.user_id,
            "shop_name": "Renamed",
            "slug": farmer.slug,
            "phone": farmer.phone,
            "story": "",
            "household": other.pk,
            "verified_at_0": "2020-01-01",
            "verified_at_1": "10:00:00",
            "verified_by": root.pk,
        },
    )
    farmer.refresh_from_db()
    assert farmer.shop_name == "Renamed"  # the storefront fields stay editable
    assert farmer.household_id != other.pk and farmer.verified_at is None


def test_changes_are_shown_with_field_labels_and_choice_names():
    farmer = FarmerFactory()
    event = record(
        actor=None,
        action=A.ONBOARDED,
        subject=farmer,
        farmer=farmer,
        after={
            "phone": "13912345678",
            "household.status": RegisterStatus.REGISTERED,
            "assistant": "王芳",
        },
    )
    with translation.override("en"):
        assert event.changes == [
            ("mobile phone", "—", "13912345678"),
            ("register status", "—", "Registered poor household"),
            ("assistant", "—", "王芳"),
        ]
