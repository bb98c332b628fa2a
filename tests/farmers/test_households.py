"""Leaving the poverty register is a recorded event; the household file stays."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from farmers.models import Household, RegisterExit, RegisterStatus
from farmers.services import household_exit_register
from tests.factories import AssistantFactory, HouseholdFactory, farmer_of

pytestmark = pytest.mark.django_db


def test_leaving_the_register_keeps_the_record(make_user):
    household = HouseholdFactory(registered=True)
    official = make_user(role="official")
    event = household_exit_register(
        household=household,
        exited_on=date(2019, 12, 1),
        reason="Income above the line for two years",
        recorded_by=official,
    )
    household.refresh_from_db()
    assert household.status == RegisterStatus.EXITED
    assert household.exited_on == date(2019, 12, 1)
    assert household.registration_number  # still on file
    assert list(household.register_exits.all()) == [event]
    assert Household.objects.filter(pk=household.pk).exists()


@pytest.mark.parametrize(
    ("registered", "days_ahead", "code"),
    [(False, 0, "not_registered"), (True, 3, "future")],
)
def test_exit_refusals_change_nothing(make_user, registered, days_ahead, code):
    household = HouseholdFactory(registered=registered)
    with pytest.raises(ValidationError) as error:
        household_exit_register(
            household=household,
            exited_on=timezone.localdate() + timedelta(days=days_ahead),
            reason="x",
            recorded_by=make_user(),
        )
    assert error.value.code == code
    assert not RegisterExit.objects.exists()


def test_assistant_records_an_exit_from_the_household_file(client):
    assistant = AssistantFactory()
    farmer = farmer_of(assistant, household__registered=True)
    client.force_login(assistant.user)
    response = client.post(
        f"/assistant/farmers/{farmer.pk}/exit-register/",
        {"exited_on": "2020-06-30", "reason": "脱贫"},
        follow=True,
    )
    assert response.status_code == 200
    farmer.household.refresh_from_db()
    assert farmer.household.status == RegisterStatus.EXITED
    assert "脱贫" in response.content.decode()  # shown in the register history


def test_bad_exit_date_is_a_message_not_an_error(client):
    assistant = AssistantFactory()
    farmer = farmer_of(assistant, household__registered=True)
    client.force_login(assistant.user)
    response = client.post(
        f"/assistant/farmers/{farmer.pk}/exit-register/",
        {"exited_on": "2020-13-45", "reason": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert not RegisterExit.objects.exists()
