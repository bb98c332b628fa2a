"""Assignments: one active per farmer (in the database), history kept on
reassignment, never across counties, bulk all-or-none."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assistants.models import Assignment
from assistants.services import assignment_assign, assignments_assign_in_bulk
from tests.factories import (
    AssignmentFactory,
    AssistantFactory,
    FarmerFactory,
    farmer_of,
)

pytestmark = pytest.mark.django_db


def test_the_database_allows_one_active_assignment_per_farmer():
    first = AssignmentFactory()
    other = AssistantFactory(county=first.assistant.county)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            farmer=first.farmer,
            assistant=other,
            started_on=date(2018, 2, 1),
            assigned_by=other.user,
        )
    # An ended assignment does not count.
    Assignment.objects.filter(pk=first.pk).update(ended_on=date(2018, 2, 1))
    Assignment.objects.create(
        farmer=first.farmer,
        assistant=other,
        started_on=date(2018, 2, 1),
        assigned_by=other.user,
    )


def test_reassigning_closes_the_old_assignment_and_keeps_it():
    old = AssignmentFactory()
    new_assistant = AssistantFactory(county=old.assistant.county)
    new = assignment_assign(
        farmer=old.farmer,
        assistant=new_assistant,
        assigned_by=new_assistant.user,
        today=date(2019, 3, 1),
    )
    old.refresh_from_db()
    assert old.ended_on == date(2019, 3, 1)
    assert (new.assistant, new.started_on, new.ended_on) == (
        new_assistant,
        date(2019, 3, 1),
        None,
    )
    history = Assignment.objects.filter(farmer=old.farmer).order_by("started_on")
    assert [a.assistant for a in history] == [old.assistant, new_assistant]


def test_assigning_the_same_assistant_again_changes_nothing():
    current = AssignmentFactory()
    again = assignment_assign(
        farmer=current.farmer,
        assistant=current.assistant,
        assigned_by=current.assigned_by,
    )
    assert again == current
    assert Assignment.objects.count() == 1


def test_an_assistant_cannot_be_given_a_farmer_from_another_county():
    assistant = AssistantFactory()
    farmer = FarmerFactory()  # a county of its own
    with pytest.raises(ValidationError) as error:
        assignment_assign(
            farmer=farmer, assistant=assistant, assigned_by=assistant.user
        )
    assert error.value.code == "other_county"
    assert not Assignment.objects.exists()


def test_bulk_assignment_is_all_or_none():
    assistant = AssistantFactory()
    mine = [
        FarmerFactory(household__village__county=assistant.county) for _ in range(2)
    ]
    stranger = FarmerFactory()
    with pytest.raises(ValidationError):
        assignments_assign_in_bulk(
            farmers=[*mine, stranger], assistant=assistant, assigned_by=assistant.user
        )
    assert not Assignment.objects.exists()
    done = assignments_assign_in_bulk(
        farmers=mine, assistant=assistant, assigned_by=assistant.user
    )
    assert {a.farmer for a in done} == set(mine)


def test_official_bulk_assigns_from_the_assignment_page(client, make_user):
    assistant = AssistantFactory()
    official = make_user(role="official")
    official.counties.add(assistant.county)
    unassigned = FarmerFactory(household__village__county=assistant.county)
    other = AssistantFactory(county=assistant.county)
    assigned = farmer_of(other)
    client.force_login(official)
    page = client.get("/assistant/assignments/")
    listed = [f.pk for f in page.context["page_obj"]]
    assert listed[0] == unassigned.pk  # unassigned first
    assert b'class="unassigned"' in page.content
    response = client.post(
        "/assistant/assignments/",
        {"farmers": [unassigned.pk, assigned.pk], "assistant": assistant.pk},
    )
    assert response.status_code == 302
    active = Assignment.objects.filter(ended_on__isnull=True)
    assert set(active.values_list("farmer", "assistant")) == {
        (unassigned.pk, assistant.pk),
        (assigned.pk, assistant.pk),
    }
    assert Assignment.objects.filter(farmer=assigned, assistant=other).exists()


def test_official_cannot_assign_outside_their_counties(client, make_user):
    mine = AssistantFactory()
    theirs = AssistantFactory()
    official = make_user(role="official")
    official.counties.add(mine.county)
    foreign_farmer = FarmerFactory(household__village__county=theirs.county)
    client.force_login(official)
    client.post(
        "/assistant/assignments/",
        {"farmers": [foreign_farmer.pk], "assistant": theirs.pk},
    )
    assert not Assignment.objects.exists()
    response = client.post(
        "/assistant/assignments/",
        {"farmers": [foreign_farmer.pk], "assistant": mine.pk},
        follow=True,
    )
    assert not Assignment.objects.exists()
    assert list(response.context["messages"])


def test_a_malformed_county_choice_falls_back_to_the_first_county(client, make_user):
    assistant = AssistantFactory()
    official = make_user(role="official")
    official.counties.add(assistant.county)
    client.force_login(official)
    for value in ("abc", "99999999999999999999999", "-1"):
        response = client.get("/assistant/assignments/", {"county": value})
        assert response.status_code == 200
        assert response.context["county"] == assistant.county


def test_assignments_are_read_only_in_the_admin(client, make_user):
    assignment = AssignmentFactory()
    client.force_login(make_user(role="staff", is_superuser=True))
    base = "/admin/assistants/assignment/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    response = client.post(f"{base}{assignment.pk}/change/", {"ended_on": "2019-01-01"})
    assert response.status_code == 403
    assignment.refresh_from_db()
    assert assignment.ended_on is None
