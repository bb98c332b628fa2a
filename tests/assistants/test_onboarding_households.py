"""Onboarding into an existing household works whatever the number of assistants
in the county (the access matrix found a server error with two)."""

import pytest

from assistants.selectors import households_open_for_onboarding
from farmers.models import Farmer
from tests.factories import AssistantFactory, HouseholdFactory, farmer_of

pytestmark = pytest.mark.django_db


def test_each_open_household_is_offered_once_in_a_county_of_several_assistants(
    client,
):
    assistant = AssistantFactory()
    colleague = AssistantFactory(county=assistant.county)
    mine = farmer_of(assistant)
    farmer_of(colleague)  # a colleague's farmer: not open to this assistant
    empty = HouseholdFactory(village__county=assistant.county)  # no farmer yet
    open_ = households_open_for_onboarding(assistant.user)
    assert sorted(open_.values_list("pk", flat=True)) == sorted(
        [mine.household.pk, empty.pk]
    )

    client.force_login(assistant.user)
    response = client.post(
        "/assistant/farmers/new/",
        {
            "farmer-full_name": "王六",
            "farmer-phone": "13700000001",
            "farmer-shop_name": "王六的店",
            "farmer-household_choice": "existing",
            "farmer-existing_household": mine.household.pk,
        },
    )
    assert response.status_code == 302
    assert Farmer.objects.get(phone="13700000001").household == mine.household
