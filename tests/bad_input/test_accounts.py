"""Bad input to the accounts app: sign-up, sign-in, the password change and
API tokens."""

import pytest

from tests.bad_input.cases import (
    BAD_USERNAME,
    CSRF_PAGE,
    MB,
    NUL,
    PASSWORD_PAGE,
    RLO,
    SCRIPT,
    SIGN_UP,
    ZALGO,
    api,
    assert_refused_and_unchanged,
    assert_saved,
    page,
    too_long,
    valid_counterparts,
)

pytestmark = pytest.mark.django_db

# fmt: off
CASES = [
    # Sign-up (anonymous).
    page("sign-up: username over 150", "anonymous", SIGN_UP, "sign_up",
         {"username": "u" * 151}, too_long(150, 151)),
    page("sign-up: username with RTL override", "anonymous", SIGN_UP, "sign_up",
         {"username": f"admin{RLO}nimda"}, BAD_USERNAME),
    page("sign-up: username with NUL", "anonymous", SIGN_UP, "sign_up",
         {"username": "new\x00buyer"}, NUL),
    page("sign-up: username is a script", "anonymous", SIGN_UP, "sign_up",
         {"username": SCRIPT}, BAD_USERNAME),
    page("sign-up: e-mail of 1 MB", "anonymous", SIGN_UP, "sign_up",
         {"email": "a" * MB + "@example.com"}, too_long(254, MB + 12)),
    page("sign-up: password with NUL", "anonymous", SIGN_UP, "sign_up",
         {"password1": "abc\x00defghij", "password2": "abc\x00defghij"}, NUL),
    page("sign-up: CSRF token missing", "anonymous", SIGN_UP, "sign_up", {},
         CSRF_PAGE, 403, csrf="missing"),
    # Sign-in (one wrong try only: django-axes counts them).
    page("sign-in: username with NUL", "anonymous", "/accounts/login/", "sign_in",
         {"username": "buyer\x00"}, NUL),
    # Password change.
    page("password: wrong old password", "buyer", PASSWORD_PAGE, "password",
         {"old_password": ZALGO}, "Your old password was entered incorrectly."),
    page("password: new one with NUL", "buyer", PASSWORD_PAGE, "password",
         {"new_password1": "plum\x00blossom", "new_password2": "plum\x00blossom"},
         NUL),
    # --- The API -----------------------------------------------------------------
    api("api token: username with NUL", "anonymous", "post", "/api/token/",
        "api_token", {"username": "buyer\x00"}, NUL),
]
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(world, case):
    assert_refused_and_unchanged(world, case)


@pytest.mark.parametrize("case", valid_counterparts(CASES), ids=str)
def test_each_forms_valid_payload_is_saved(world, case):
    """So every case above fails for its one bad value, and for nothing else."""
    assert_saved(world, case)
