"""Bad input to the field work: visits, income surveys and training sessions, on
the pages and through the API; and a farmer named twice attends once."""

import json

import pytest
from django.test import Client

from tests.bad_input.cases import (
    API_NOT_A_DATE,
    API_NOT_A_NUMBER,
    BAD_CHOICE,
    LAST_YEAR,
    NOT_A_DATE,
    NOT_A_NUMBER,
    NUL,
    SCRIPT,
    SURVEY_EDIT,
    SURVEY_NEW,
    TRAINING,
    UNREADABLE,
    VISIT,
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
    # Visits (assistant).
    page("visit: 30 February", "assistant", VISIT, "visit",
         {"visited_on": "2026-02-30"}, NOT_A_DATE),
    page("visit: 'tomorrow'", "assistant", VISIT, "visit",
         {"visited_on": "tomorrow"}, NOT_A_DATE),
    page("visit: 9999-99-99", "assistant", VISIT, "visit",
         {"visited_on": "9999-99-99"}, NOT_A_DATE),
    page("visit: month 13", "assistant", VISIT, "visit",
         {"visited_on": "2026-13-01"}, NOT_A_DATE),
    page("visit: in the future", "assistant", VISIT, "visit",
         {"visited_on": "2999-01-01"}, "The date cannot be in the future."),
    page("visit: challenges over 2000", "assistant", VISIT, "visit",
         {"challenges": "c" * 2001}, too_long(2000, 2001)),
    page("visit: purpose is a script", "assistant", VISIT, "visit",
         {"purpose": SCRIPT}, BAD_CHOICE),
    # Income surveys, new and corrected (assistant).
    page("survey: negative wages", "assistant", SURVEY_NEW, "survey",
         {"wages": "-1"}, "Ensure this value is greater than or equal to 0."),
    page("survey: wages NaN", "assistant", SURVEY_NEW, "survey",
         {"wages": "NaN"}, NOT_A_NUMBER),
    page("survey: wages -Infinity", "assistant", SURVEY_NEW, "survey",
         {"wages": "-Infinity"}, NOT_A_NUMBER),
    page("survey: wages 1e30", "assistant", SURVEY_NEW, "survey",
         {"wages": "1e30"}, "Ensure that there are no more than 12 digits in total."),
    page("survey: household of 0", "assistant", SURVEY_NEW, "survey",
         {"members": "0"}, "Ensure this value is greater than or equal to 1."),
    page("survey: a future year", "assistant", SURVEY_NEW, "survey",
         {"year": "9999"}, "A survey year cannot be in the future."),
    page("survey: a year already surveyed", "assistant", SURVEY_NEW, "survey",
         {"year": str(LAST_YEAR)},
         f"This household already has a survey for {LAST_YEAR}; correct it instead."),
    page("survey: dibao above transfers", "assistant", SURVEY_NEW, "survey",
         {"dibao": "5000"}, "Dibao is part of transfers: it cannot be more than them."),
    page("survey edit: wages with 3 decimals", "assistant", SURVEY_EDIT,
         "survey_edit", {"wages": "0.001"},
         "Ensure that there are no more than 2 decimal places."),
    page("survey edit: dibao above transfers", "assistant", SURVEY_EDIT,
         "survey_edit", {"dibao": "99999"},
         "Dibao is part of transfers: it cannot be more than them."),
    page("survey edit: household of 20 nines", "assistant", SURVEY_EDIT,
         "survey_edit", {"members": "9" * 20},
         "Ensure this value is less than or equal to 50."),
    # Training sessions (assistant).
    page("training: hours NaN", "assistant", TRAINING, "training",
         {"hours": "NaN"}, NOT_A_NUMBER),
    page("training: 25 hours", "assistant", TRAINING, "training",
         {"hours": "25"}, "A session lasts at most 24 hours."),
    page("training: 30 February", "assistant", TRAINING, "training",
         {"held_on": "2026-02-30"}, NOT_A_DATE),
    page("training: a farmer id of 20 digits", "assistant", TRAINING, "training",
         {"farmers": ["9" * 20]}, "is not a valid value."),
    page("training: topic is a script", "assistant", TRAINING, "training",
         {"topics": [SCRIPT]}, BAD_CHOICE),
    page("training: location over 100", "assistant", TRAINING, "training",
         {"location": "l" * 101}, too_long(100, 101)),
    page("training: 1,001 farmer ids", "assistant", TRAINING, "training",
         {"farmers": ["1"] * 1001}, UNREADABLE, 400),
    # --- The API -----------------------------------------------------------------
    api("api training: hours NaN", "assistant", "post", "/api/training-sessions/",
        "api_training", {"hours": "NaN"}, API_NOT_A_NUMBER),
    api("api training: 30 February", "assistant", "post",
        "/api/training-sessions/", "api_training", {"held_on": "2026-02-30"},
        API_NOT_A_DATE),
    api("api training: 'tomorrow'", "assistant", "post", "/api/training-sessions/",
        "api_training", {"held_on": "tomorrow"}, API_NOT_A_DATE),
    api("api training: topic is a script", "assistant", "post",
        "/api/training-sessions/", "api_training", {"topics": [SCRIPT]},
        "is not a valid choice."),
    api("api training: a farmer id of 20 digits", "assistant", "post",
        "/api/training-sessions/", "api_training", {"farmers": [int("9" * 20)]},
        "Invalid pk"),
    api("api training: 501 farmer ids", "assistant", "post",
        "/api/training-sessions/", "api_training", {"farmers": [1] * 501},
        "At most 500 farmers at once."),
    api("api training: nine topics", "assistant", "post",
        "/api/training-sessions/", "api_training", {"topics": ["pricing"] * 9},
        "Ensure this field has no more than 8 elements."),
    api("api training: notes with NUL", "assistant", "post",
        "/api/training-sessions/", "api_training", {"notes": "\x00"}, NUL),
    api("api attendance: a farmer id that is text", "assistant", "put",
        "/api/training-sessions/{session}/attendance/", "api_attendance",
        {"farmers": [SCRIPT]}, "Incorrect type. Expected pk value"),
    api("api attendance: 100,000 farmer ids", "assistant", "put",
        "/api/training-sessions/{session}/attendance/", "api_attendance",
        {"farmers": list(range(100_000))}, "At most 500 farmers at once."),
    api("api visit: 9999-99-99", "assistant", "post", "/api/visits/",
        "api_visit", {"visited_on": "9999-99-99"}, API_NOT_A_DATE),
    api("api visit: purpose is a script", "assistant", "post", "/api/visits/",
        "api_visit", {"purpose": SCRIPT}, "is not a valid choice."),
    api("api visit: challenges with NUL", "assistant", "post", "/api/visits/",
        "api_visit", {"challenges": "\x00"}, NUL),
    api("api survey: wages NaN", "assistant", "post", "/api/surveys/",
        "api_survey", {"wages": "NaN"}, API_NOT_A_NUMBER),
    api("api survey: negative wages", "assistant", "post", "/api/surveys/",
        "api_survey", {"wages": "-1"},
        "Ensure this value is greater than or equal to 0."),
    api("api survey: year 9999", "assistant", "post", "/api/surveys/",
        "api_survey", {"year": 9999}, "A survey year cannot be in the future."),
    api("api survey: correction with 3 decimals", "assistant", "patch",
        "/api/surveys/{survey}/", "api_survey_edit", {"wages": "1.001"},
        "Ensure that there are no more than 2 decimal places."),
    api("api survey: correction with dibao above transfers", "assistant",
        "patch", "/api/surveys/{survey}/", "api_survey_edit", {"dibao": "99999"},
        "Dibao is part of transfers: it cannot be more than them."),
]
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(world, case):
    assert_refused_and_unchanged(world, case)


@pytest.mark.parametrize("case", valid_counterparts(CASES), ids=str)
def test_each_forms_valid_payload_is_saved(world, case):
    """So every case above fails for its one bad value, and for nothing else."""
    assert_saved(world, case)


def test_a_farmer_named_twice_attends_once(world):
    """A list naming one farmer twice (an API client's slip) records one attendance,
    instead of breaking the one-attendance-per-session rule (a 500)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.users["assistant"])
    farmer = world.ids["farmer"]
    body = {**world.payloads["api_training"], "farmers": [farmer, farmer]}
    created = client.post(
        "/api/training-sessions/", json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["attendees"] == [farmer]
    url = f"/api/training-sessions/{world.ids['session']}/attendance/"
    nobody, both = (json.dumps({"farmers": f}) for f in ([], [farmer, farmer]))
    assert client.put(url, nobody, content_type="application/json").status_code == 200
    again = client.put(url, both, content_type="application/json")
    assert again.status_code == 200, again.content
    assert again.json()["attendees"] == [farmer]
