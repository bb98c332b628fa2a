"""In a real browser on a phone-sized screen: an assistant signs in, onboards a
farmer, hands over the one-time set-password link (text and QR code) and finds the
farmer in "my farmers"; the farmer then chooses a password through that link, signs
in with the phone number and lands on the storefront, and the link cannot be used
again.

Elements are found by ids, names and hrefs, not by visible text, so the journey
does not depend on the page's language."""

from pathlib import Path

import pytest

from accounts.models import Role
from assistants.models import Assistant
from farmers.models import Farmer
from tests.e2e.conftest import sign_out
from tests.factories import VillageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE = "13912345678"
SHOP = "Hilltop Tea Garden"
FARMER_PASSWORD = "misty-terrace-oolong-73"


def snapshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def submit(page, form="form"):
    """Click the submit button of the (first matching) form in the page's main."""
    page.locator(f"main {form} button[type=submit]").first.click()


def test_assistant_onboards_a_farmer_who_then_signs_in(live_server, page, make_user):
    url = live_server.url

    # 1. A county with a village, and an assistant working there.
    village = VillageFactory()
    assistant_user = make_user(username="assistant-li", role=Role.ASSISTANT)
    assistant = Assistant.objects.create(user=assistant_user, county=village.county)

    # 2. The assistant signs in and lands on their workspace.
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", "assistant-li")
    page.fill("#id_password", "correct-horse-battery-9")
    submit(page)
    page.wait_for_url(f"{url}/assistant/")
    assert page.locator('main a[href="/assistant/farmers/new/"]').count() == 1

    # 3. Onboarding: the farmer, and a new household in the assistant's village.
    page.goto(f"{url}/assistant/farmers/new/")
    page.fill("#id_farmer-full_name", "Zhang Wei")
    page.fill("#id_farmer-phone", PHONE)
    page.fill("#id_farmer-shop_name", SHOP)
    assert page.is_checked('input[name="farmer-household_choice"][value="new"]')
    page.select_option("#id_household-village", value=str(village.pk))
    page.fill("#id_household-head_name", "Zhang Guo")
    page.fill("#id_household-members", "4")
    snapshot(page, "assistant_journey_0_onboarding_form")
    submit(page)

    # 4. The one-time link, as text and as a QR code.
    page.wait_for_url(f"{url}/assistant/farmers/*/link/")
    farmer = Farmer.objects.get(phone=PHONE)
    assert page.url == f"{url}/assistant/farmers/{farmer.pk}/link/"
    link = page.locator("#link").input_value()
    assert link.startswith(f"{url}/accounts/set-password/")
    assert page.locator(".qr svg").count() == 1
    assert page.locator(".qr svg").is_visible()
    snapshot(page, "assistant_journey_1_link_and_qr")

    # 5. "My farmers" lists the new farmer; searching by phone keeps them listed,
    # and a search for another number does not.
    page.goto(f"{url}/assistant/farmers/")
    farmer_row = page.locator(f'main a[href="/assistant/farmers/{farmer.pk}/"]')
    assert SHOP in farmer_row.inner_text()
    search_box = page.locator('main form[role=search] input[name="q"]')
    search_box.fill("13800000000")
    submit(page, "form[role=search]")
    page.wait_for_url(f"{url}/assistant/farmers/?q=13800000000")
    assert farmer_row.count() == 0
    search_box.fill(PHONE)
    submit(page, "form[role=search]")
    page.wait_for_url(f"{url}/assistant/farmers/?q={PHONE}")
    assert SHOP in farmer_row.inner_text()
    assert search_box.input_value() == PHONE
    snapshot(page, "assistant_journey_2_my_farmers_search")

    # 6. The assistant signs out; the farmer opens the link and chooses a password,
    # then signs in with the phone number (the default username).
    sign_out(page)
    page.wait_for_url(f"{url}/")
    assert page.locator('form[action="/accounts/logout/"]').count() == 0

    page.goto(link)
    page.fill("#id_new_password1", FARMER_PASSWORD)
    page.fill("#id_new_password2", FARMER_PASSWORD)
    snapshot(page, "assistant_journey_3_set_password")
    submit(page)
    page.wait_for_url(f"{url}/accounts/set-password/done/")
    # Signed in straight away, and told the username to use next time.
    assert page.locator("main strong").inner_text() == PHONE
    sign_out(page)
    page.wait_for_url(f"{url}/")

    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", PHONE)
    page.fill("#id_password", FARMER_PASSWORD)
    submit(page)
    page.wait_for_url(f"{url}/farmer/")
    assert page.url.endswith("/farmer/")
    snapshot(page, "assistant_journey_4_farmer_home")

    # 7. The link worked once: opening it again (signed out) offers no password form.
    sign_out(page)
    page.wait_for_url(f"{url}/")
    page.goto(link)
    page.wait_for_load_state()
    assert page.locator("#id_new_password1").count() == 0
    assert page.locator("main form").count() == 0

    # In the database: the farmer, with a usable password now, is assigned to the
    # assistant, and the assignment is the active one.
    farmer = Farmer.objects.select_related("user", "household").get(phone=PHONE)
    assert farmer.user.username == PHONE
    assert farmer.user.role == Role.FARMER
    assert farmer.user.check_password(FARMER_PASSWORD)
    assert farmer.shop_name == SHOP
    assert farmer.household.village == village
    assert farmer.household.members == 4
    active = farmer.assignments.filter(ended_on__isnull=True)
    assert [a.assistant for a in active] == [assistant]
