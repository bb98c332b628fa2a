"""An assistant onboards a farmer in one transaction and hands over a one-time
set-password link."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role, User
from assistants.models import Assignment
from farmers.models import Farmer, Household, RegisterStatus
from sms import services as sms_services
from tests.factories import (
    AssistantFactory,
    FarmerFactory,
    HouseholdFactory,
    VillageFactory,
    farmer_of,
)

pytestmark = pytest.mark.django_db
URL = "/assistant/farmers/new/"


@pytest.fixture
def assistant():
    assistant = AssistantFactory()
    VillageFactory(county=assistant.county, name="Shiban")
    return assistant


def form_data(assistant, **overrides):
    data = {
        "farmer-full_name": "王秀英",
        "farmer-phone": "13912345678",
        "farmer-username": "",
        "farmer-shop_name": "秀英的蜂蜜",
        "farmer-slug": "",
        "farmer-household_choice": "new",
        "household-village": assistant.county.villages.get(name="Shiban").pk,
        "household-head_name": "王大山",
        "household-members": "4",
        "household-status": RegisterStatus.REGISTERED,
        "household-registration_number": "5299012016001",
        "household-registration_year": "2016",
        "household-poverty_causes": ["illness", "skills"],
        "household-support_measures": "养蜂培训",
        "household-expected_exit_year": "2019",
    }
    data.update(overrides)
    return data


def test_onboarding_creates_user_household_profile_and_assignment(client, assistant):
    client.force_login(assistant.user)
    response = client.post(URL, form_data(assistant))
    farmer = Farmer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/assistant/farmers/{farmer.pk}/link/"
    assert farmer.user.username == "13912345678"  # the phone, when no username
    assert farmer.user.role == Role.FARMER
    assert not farmer.user.has_usable_password()
    assert farmer.slug == "shop-13912345678"
    assert farmer.household.poverty_causes == ["illness", "skills"]
    assert farmer.household.is_registered_poor
    assignment = Assignment.objects.get(farmer=farmer)
    assert (assignment.assistant, assignment.ended_on) == (assistant, None)


def test_onboarding_into_an_existing_household(client, assistant):
    sibling = farmer_of(assistant)
    client.force_login(assistant.user)
    response = client.post(
        URL,
        form_data(
            assistant,
            **{
                "farmer-household_choice": "existing",
                "farmer-existing_household": sibling.household.pk,
                "household-head_name": "",  # the new-household part is ignored
            },
        ),
    )
    assert response.status_code == 302
    assert Farmer.objects.get(phone="13912345678").household == sibling.household
    assert Household.objects.count() == 1


def test_an_assistant_cannot_pick_a_household_outside_their_farmers(client, assistant):
    stranger = FarmerFactory(household__village__county=assistant.county)
    client.force_login(assistant.user)
    response = client.post(
        URL,
        form_data(
            assistant,
            **{
                "farmer-household_choice": "existing",
                "farmer-existing_household": stranger.household.pk,
            },
        ),
    )
    assert response.status_code == 200
    assert "existing_household" in response.context["form"].errors
    assert Farmer.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"farmer-phone": "13800000000"}, "phone"),
        ({"farmer-username": "Taken"}, "username"),
        ({"farmer-phone": "12345"}, "phone"),
        ({"household-members": "many"}, "members"),
        ({"household-registration_number": ""}, "registration_number"),
    ],
)
def test_bad_onboarding_shows_the_error_and_creates_nothing(
    client, assistant, make_user, overrides, field
):
    FarmerFactory(phone="13800000000")
    make_user(username="taken")
    before = (User.objects.count(), Household.objects.count(), Farmer.objects.count())
    client.force_login(assistant.user)
    response = client.post(URL, form_data(assistant, **overrides))
    assert response.status_code == 200
    errors = {
        **response.context["form"].errors,
        **response.context["household_form"].errors,
    }
    assert field in errors, errors
    after = (User.objects.count(), Household.objects.count(), Farmer.objects.count())
    assert after == before


def test_a_failure_mid_way_leaves_no_user_and_no_household(client, assistant):
    client.force_login(assistant.user)
    with mock.patch(
        "assistants.services.assignment_assign",
        side_effect=ValidationError("assignment refused"),
    ):
        response = client.post(URL, form_data(assistant))
    assert response.status_code == 200
    assert "assignment refused" in response.content.decode()
    assert not User.objects.filter(role=Role.FARMER).exists()
    assert not Household.objects.exists()
    assert not Farmer.objects.exists()


def test_set_password_link_works_once(client, assistant):
    client.force_login(assistant.user)
    client.post(URL, form_data(assistant))
    farmer = Farmer.objects.get()
    page = client.get(f"/assistant/farmers/{farmer.pk}/link/")
    link = page.context["link"]
    assert "<svg" in page.content.decode()
    client.logout()

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "honey-hive-mountain-8",
            "new_password2": "honey-hive-mountain-8",
        },
    )
    assert response.status_code == 302
    signed_in = client.post(
        "/accounts/login/",
        {"username": "13912345678", "password": "honey-hive-mountain-8"},
    )
    assert signed_in.status_code == 302
    client.logout()
    assert not client.get(link, follow=True).context["validlink"]
    # With a password set, the assistant no longer gets a link for the farmer.
    client.force_login(assistant.user)
    assert "link" not in client.get(f"/assistant/farmers/{farmer.pk}/link/").context


def test_only_assistants_onboard(client, make_user):
    for role in (Role.BUYER, Role.FARMER, Role.OFFICIAL):
        client.force_login(make_user(role=role))
        assert client.get(URL).status_code == 403


def test_assistant_issues_a_new_link_for_a_forgotten_password(client, assistant):
    farmer = farmer_of(assistant)
    farmer.user.set_password("old-forgotten-pass-1")
    farmer.user.save()
    client.force_login(assistant.user)
    page = client.get(f"/assistant/farmers/{farmer.pk}/link/")
    assert "link" not in page.context
    response = client.post(f"/assistant/farmers/{farmer.pk}/link/")
    assert response.status_code == 302
    farmer.user.refresh_from_db()
    assert not farmer.user.check_password("old-forgotten-pass-1")
    assert "link" in client.get(f"/assistant/farmers/{farmer.pk}/link/").context


def test_an_assistant_without_a_county_profile_is_told_why(client, make_user):
    client.force_login(make_user(role=Role.ASSISTANT))
    response = client.get(URL)
    assert response.status_code == 403
    assert response.templates[0].name == "assistants/no_profile.html"
    assert not Farmer.objects.exists()


def test_a_household_from_the_register_can_receive_its_farmer(client, assistant):
    imported = HouseholdFactory(
        registered=True, village=assistant.county.villages.get(name="Shiban")
    )
    elsewhere = HouseholdFactory(registered=True)  # another county, no farmer either
    client.force_login(assistant.user)
    choices = client.get(URL).context["form"].fields["existing_household"].queryset
    assert imported in choices and elsewhere not in choices
    response = client.post(
        URL,
        form_data(
            assistant,
            **{
                "farmer-household_choice": "existing",
                "farmer-existing_household": imported.pk,
            },
        ),
    )
    assert response.status_code == 302
    assert Farmer.objects.get().household == imported
    # Once it has a farmer, other assistants no longer see it as open.
    colleague = AssistantFactory(county=assistant.county)
    client.force_login(colleague.user)
    choices = client.get(URL).context["form"].fields["existing_household"].queryset
    assert imported not in choices


def test_a_form_with_errors_starts_with_a_summary_of_them(client, assistant):
    """Every form (partials/form.html) lists its errors first, each linking to its
    field; the onboarding page's two forms share one summary, at the top."""
    client.force_login(assistant.user)
    response = client.post(
        URL,
        form_data(
            assistant, **{"farmer-phone": "123", "household-registration_number": ""}
        ),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    body = response.content.decode()
    assert body.count('class="error-summary"') == 1
    summary = body.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert body.index('class="error-summary"') < body.index('name="farmer-full_name"')
    assert "请更正以下错误" in summary
    assert 'href="#id_farmer-phone"' in summary
    assert 'href="#id_household-registration_number"' in summary


def test_every_form_gets_the_summary(client):
    response = client.post("/accounts/sign-up/", {"username": ""})
    body = response.content.decode()
    assert 'class="error-summary"' in body and 'href="#id_username"' in body


def test_the_platform_texts_the_set_password_link(
    client, assistant, texts, django_capture_on_commit_callbacks, monkeypatch
):
    client.force_login(assistant.user)
    client.post(URL, form_data(assistant))
    farmer = Farmer.objects.get()
    # The phone registered in person is the farmer's verified phone.
    assert farmer.user.phone == "13912345678" and farmer.user.phone_verified
    # At 23:00, in the quiet hours: a set-password link goes all the same.
    night = timezone.localtime().replace(hour=23, minute=0)
    monkeypatch.setattr(sms_services.timezone, "now", lambda: night)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/assistant/farmers/{farmer.pk}/link/text/")
    assert sent.status_code == 302
    [text] = texts()
    assert text["phone"] == "13912345678" and text["purpose"] == "set_password"
    link = "/" + text["params"]["link"]
    page = client.get(f"/assistant/farmers/{farmer.pk}/link/")
    assert page.context["link"].endswith(link)
    assert 'id="texted"' in page.content.decode()
    client.logout()
    assert client.get(link, follow=True).context["validlink"]


def test_no_link_is_texted_once_the_farmer_has_a_password(client, assistant, texts):
    farmer = farmer_of(assistant)  # has a password
    client.force_login(assistant.user)
    page = client.post(f"/assistant/farmers/{farmer.pk}/link/text/", follow=True)
    said = [str(message) for message in page.context["messages"]]
    assert said == ["该农户已经设置了密码。"]
    assert texts() == []
