"""Bad input to the assistants app: onboarding a farmer, the assignment page and
the search of an assistant's farmers."""

import pytest

from tests.bad_input.cases import (
    ASSIGN,
    BAD_CHOICE,
    BAD_SLUG,
    BAD_USERNAME,
    MB,
    NOT_A_WHOLE_NUMBER,
    NUL,
    ONBOARD,
    RLO,
    SCRIPT,
    UNREADABLE,
    assert_refused_and_unchanged,
    assert_saved,
    page,
    too_long,
    valid_counterparts,
)

pytestmark = pytest.mark.django_db

# fmt: off
CASES = [
    # Onboarding a farmer (assistant).
    page("onboard: name of 1 MB", "assistant", ONBOARD, "onboard",
         {"farmer-full_name": "w" * MB}, too_long(60, MB)),
    page("onboard: 3 MB of text", "assistant", ONBOARD, "onboard",
         {"farmer-full_name": "王" * MB}, UNREADABLE, 400),
    page("onboard: phone with NUL", "assistant", ONBOARD, "onboard",
         {"farmer-phone": "1391234567\x00"}, NUL),
    page("onboard: username with RTL override", "assistant", ONBOARD, "onboard",
         {"farmer-username": f"farmer{RLO}"}, BAD_USERNAME),
    page("onboard: shop address is a script", "assistant", ONBOARD, "onboard",
         {"farmer-slug": SCRIPT}, BAD_SLUG),
    page("onboard: existing household id of 20 digits", "assistant", ONBOARD,
         "onboard", {"farmer-household_choice": "existing",
                     "farmer-existing_household": "9" * 20}, BAD_CHOICE),
    page("onboard: household of 1e30 members", "assistant", ONBOARD, "onboard",
         {"household-members": "1e30"}, NOT_A_WHOLE_NUMBER),
    page("onboard: household of 0 members", "assistant", ONBOARD, "onboard",
         {"household-members": "0"},
         "Ensure this value is greater than or equal to 1."),
    page("onboard: registration year 9999", "assistant", ONBOARD, "onboard",
         {"household-registration_year": "9999"},
         "Ensure this value is less than or equal to 2100."),
    page("onboard: head of household with NUL", "assistant", ONBOARD, "onboard",
         {"household-head_name": "王\x00"}, NUL),
    # Assignments (official).
    page("assign: assistant id of 20 digits", "official", ASSIGN, "assign",
         {"assistant": "9" * 20}, BAD_CHOICE),
    page("assign: farmer id of 20 digits", "official", ASSIGN, "assign",
         {"farmers": ["9" * 20]}, "is not a valid value."),
    # --- Filters and searches (GET) ------------------------------------------------
    page("farmer search: NUL", "assistant", "/assistant/farmers/", "query",
         {"q": "王\x00"}, "No farmer matches your search.", method="get"),
]
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(world, case):
    assert_refused_and_unchanged(world, case)


@pytest.mark.parametrize("case", valid_counterparts(CASES), ids=str)
def test_each_forms_valid_payload_is_saved(world, case):
    """So every case above fails for its one bad value, and for nothing else."""
    assert_saved(world, case)
