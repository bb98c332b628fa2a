"""The report API's keys are the contract docs/REPORTS.md documents: this test
reads each report's "Figures:" and "Tables:" paragraphs from the document and
runs the report, so the two cannot drift (issue 15: the income tables were keyed
`household__village` and `recorded_by` while the document said `by_village`)."""

import re
from datetime import date
from pathlib import Path

import pytest

from accounts.models import Role
from fieldwork.models import IncomeSurvey
from procurement.services.units import unit_register
from reports.registry import REPORTS
from tests.factories import AssignmentFactory, HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db
DOC = Path(__file__).resolve().parents[2] / "docs" / "REPORTS.md"
TICKED = re.compile(r"`([a-z_]+)`")


def _keys(text: str) -> list[str]:
    """Backticked keys, leaving out what parentheses explain."""
    return TICKED.findall(re.sub(r"\([^)]*\)", "", text))


def documented() -> dict[str, dict]:
    """slug → {"figures": [...], "tables": {key: [columns]}} from the document."""
    contracts = {}
    for section in re.split(r"^## ", DOC.read_text(encoding="utf-8"), flags=re.M):
        heading = re.match(r".*\(`([a-z_]+)`\)\n", section)
        if not heading or heading.group(1) not in REPORTS:
            continue
        paragraphs = section.split("\n\n")
        contract = {"figures": [], "tables": {}}
        for paragraph in paragraphs:
            if paragraph.startswith("Figures:"):
                contract["figures"] = _keys(paragraph.removeprefix("Figures:"))
            if paragraph.startswith("Tables:"):
                for bullet in re.split(r"^- ", paragraph, flags=re.M)[1:]:
                    tables, _sep, columns = bullet.partition(":")
                    for key in _keys(tables):
                        contract["tables"][key] = _keys(columns)
        contracts[heading.group(1)] = contract
    return contracts


def test_the_document_covers_every_report():
    assert sorted(documented()) == sorted(REPORTS)


@pytest.mark.parametrize("slug", sorted(REPORTS))
def test_each_reports_keys_are_the_documented_ones(client, slug):
    assignment = AssignmentFactory()
    county = assignment.farmer.household.village.county
    household = HouseholdFactory(
        village=assignment.farmer.household.village, registered=True
    )
    IncomeSurvey.objects.create(
        household=household,
        year=date.today().year - 1,
        members=2,
        recorded_by=assignment.assistant.user,
    )
    staff = UserFactory(role=Role.STAFF)
    unit, _token = unit_register(
        name="县机关食堂", name_en="", kind="government", county=county, actor=staff
    )
    client.force_login(staff)
    body = client.get(
        f"/api/reports/{REPORTS[slug].api}/",
        {"county": county.code, "start": f"{date.today().year}-01", "unit": unit.pk},
    ).json()
    contract = documented()[slug]
    assert [figure["key"] for figure in body["figures"]] == contract["figures"]
    assert [table["key"] for table in body["tables"]] == list(contract["tables"])
    for table in body["tables"]:
        columns = [column["key"] for column in table["columns"]]
        assert columns == contract["tables"][table["key"]], table["key"]
        for row in table["rows"]:
            assert sorted(row) == sorted(columns), table["key"]
