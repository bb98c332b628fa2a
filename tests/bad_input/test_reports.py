"""Bad input to the reports: exports, and the reports' filters on the pages and
through the API."""

import pytest

from tests.bad_input.cases import (
    BAD_CHOICE,
    EXPORT,
    LAST_YEAR,
    NOT_A_DATE,
    SCRIPT,
    api,
    assert_refused_and_unchanged,
    assert_saved,
    page,
    valid_counterparts,
)

pytestmark = pytest.mark.django_db

# fmt: off
CASES = [
    # Report exports (official).
    page("export: month 13", "official", EXPORT, "export",
         {"start": f"{LAST_YEAR}-13"}, "Check the filters, then export again."),
    page("export: a period ending before it starts", "official", EXPORT, "export",
         {"start": f"{LAST_YEAR}-12", "end": f"{LAST_YEAR}-01"},
         "Check the filters, then export again."),
    # --- Filters and searches (GET) ------------------------------------------------
    page("report: month 13", "official", "/reports/sales/", "query",
         {"start": f"{LAST_YEAR}-13"}, NOT_A_DATE, method="get"),
    page("report: year 9999", "official", "/reports/sales/", "query",
         {"end": "9999-12"}, "Choose a month from 2000 to", method="get"),
    page("report: county is a script", "official", "/reports/sales/", "query",
         {"county": SCRIPT}, BAD_CHOICE, method="get"),
    api("api report: 'tomorrow'", "official", "get", "/api/reports/county-sales/",
        "query", {"start": "tomorrow"}, NOT_A_DATE),
]
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(world, case):
    assert_refused_and_unchanged(world, case)


@pytest.mark.parametrize("case", valid_counterparts(CASES), ids=str)
def test_each_forms_valid_payload_is_saved(world, case):
    """So every case above fails for its one bad value, and for nothing else."""
    assert_saved(world, case)
