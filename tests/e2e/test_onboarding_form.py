"""On a phone, the onboarding form marks the registration number and year as
required as soon as 建档立卡 (registered) is chosen, and unmarks them when it is
not; a submission with errors starts with their summary."""

import pytest

from accounts.models import Role
from assistants.models import Assistant
from tests.e2e.conftest import phone_snapshot
from tests.factories import VillageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIELDS = ("registration_number", "registration_year")


def required(page) -> list[tuple[bool, bool]]:
    """For each registration field: its input is required, its label is marked."""
    return [
        (
            page.locator(f"#id_household-{name}").evaluate("e => e.required"),
            page.locator(f".field-{name}").evaluate(
                "e => e.classList.contains('field-required')"
            ),
        )
        for name in FIELDS
    ]


def test_registered_status_makes_the_registration_fields_required(
    live_server, new_phone, make_user
):
    village = VillageFactory()
    user = make_user(username="assistant-li", role=Role.ASSISTANT)
    Assistant.objects.create(user=user, county=village.county)
    page = new_phone()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "assistant-li")
    page.fill("#id_password", "correct-horse-battery-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/assistant/")
    page.goto(f"{live_server.url}/assistant/farmers/new/")

    assert required(page) == [(False, False), (False, False)]
    page.select_option("#id_household-status", value="registered")
    assert required(page) == [(True, True), (True, True)]
    phone_snapshot(page, "onboarding-registered-required")
    page.select_option("#id_household-status", value="never")
    assert required(page) == [(False, False), (False, False)]

    page.select_option("#id_household-status", value="registered")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert summary.count() == 1
    assert summary.locator('a[href="#id_household-registration_number"]').count() == 1
    # Back from the server, the chosen status still marks its fields.
    assert required(page) == [(True, True), (True, True)]
    phone_snapshot(page, "onboarding-error-summary")
