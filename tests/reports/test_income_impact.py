"""The income-impact report against a hand-computed fixture: households crossing
an absolute line and a relative line, dibao apart from earned income, by village
and by assistant, and every figure naming its line."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Role
from counties.models import PovertyLine, PovertyLineMethod
from farmers.models import RegisterStatus
from fieldwork.models import IncomeSurvey
from tests.factories import (
    CountyFactory,
    HouseholdFactory,
    UserFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

# Per household: village, register status, surveyed figures for 2017 and 2018
# (two members each). Per person, worked by hand:
#   H1: 600 → 3000 (crosses both lines)   H2: 1000 → 1200 (under the absolute line)
#   H3: 3000 → 4000 (never under)         H4: never registered, 1200 → 1000
HOUSEHOLDS = {
    "H1": (
        "A",
        RegisterStatus.REGISTERED,
        {"wages": 1200},
        {"platform_sales": 2000, "wages": 4000},
    ),
    "H2": (
        "A",
        RegisterStatus.EXITED,
        {"wages": 2000},
        {"transfers": 1000, "dibao": 800, "wages": 1400},
    ),
    "H3": (
        "B",
        RegisterStatus.REGISTERED,
        {"wages": 6000},
        {"platform_sales": 1000, "wages": 7000},
    ),
    "H4": ("B", RegisterStatus.NEVER_REGISTERED, {"wages": 2400}, {"wages": 2000}),
}


@pytest.fixture
def county():
    county = CountyFactory()
    villages = {
        name: VillageFactory(county=county, name=f"Village {name}") for name in "AB"
    }
    assistants = {
        "A": UserFactory(role=Role.ASSISTANT, first_name="Assistant A"),
        "B": UserFactory(role=Role.ASSISTANT, first_name="Assistant B"),
    }
    for village, status, base, now in HOUSEHOLDS.values():
        on_register = {
            RegisterStatus.REGISTERED: {"registered": True},
            RegisterStatus.EXITED: {
                "registered": True,
                "status": status,
                "exited_on": date(2018, 10, 1),
            },
        }.get(status, {})
        household = HouseholdFactory(
            village=villages[village], members=2, **on_register
        )
        for year, figures in ((2017, base), (2018, now)):
            IncomeSurvey.objects.create(
                household=household,
                year=year,
                members=2,
                recorded_by=assistants[village],
                **{k: Decimal(v) for k, v in figures.items()},
            )
    PovertyLine.objects.create(
        year=2017, method=PovertyLineMethod.ABSOLUTE, amount=Decimal("2000")
    )
    PovertyLine.objects.create(
        county=county,
        year=2018,
        method=PovertyLineMethod.ABSOLUTE,
        amount=Decimal("2500"),
    )
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(county)
    return county, official


def test_every_figure_against_the_hand_computed_fixture(client, county):
    place, official = county
    client.force_login(official)
    body = client.get(
        "/api/reports/income-impact/", {"county": place.code, "year": 2018}
    ).json()
    figures = {f["key"]: f["value"] for f in body["figures"]}
    assert figures == {
        "households": 3,
        "platform_per_household": "1000.00",
        "platform_per_capita": "500.00",
        "platform_share": "18.29",  # 3000 of 16400
        "earned_per_capita": "2566.67",  # (16400 − 1000 transfers) / 6
        "dibao_per_capita": "133.33",
        "under_base": 2,
        "under_now": 1,
        "crossed": 1,
        # Relative lines: 60% of the median of all surveyed (H4 included):
        # 2017 median 1100 → 660; 2018 median 2100 → 1260.
        "under_relative_base": 1,
        "under_relative_now": 1,
        "crossed_relative": 1,
    }
    village_a = next(r for r in body["tables"][0]["rows"] if r["name"] == "Village A")
    assert (
        village_a["households"],
        village_a["crossed"],
        village_a["platform_share"],
    ) == (2, 1, "23.81")
    by_assistant = {r["name"]: r["households"] for r in body["tables"][1]["rows"]}
    assert by_assistant == {"Assistant A": 2, "Assistant B": 1}
    notes = " ".join(body["notes"])
    assert (
        "2000" in notes and "2500" in notes and "660.00" in notes and "1260.00" in notes
    )


def test_scope_and_bad_filters(client, county):
    place, official = county
    client.force_login(official)
    other = CountyFactory()
    assert (
        client.get(
            "/api/reports/income-impact/", {"county": other.code, "year": 2018}
        ).status_code
        == 404
    )
    assert client.get("/reports/income/", {"county": other.code}).status_code == 404
    for bad in ({"year": 2999}, {"year": 2018, "base_year": 2018}, {"year": "x"}):
        response = client.get(
            "/api/reports/income-impact/", {"county": place.code, **bad}
        )
        assert response.status_code == 400, bad
    page = client.get("/reports/income/", {"county": place.code, "year": 2018})
    assert page.status_code == 200 and 'id="figure-crossed"' in page.content.decode()
    client.force_login(UserFactory(role=Role.ASSISTANT))
    assert client.get("/reports/income/").status_code == 403


def test_targeting_quality_flags_and_rates(client, county):
    place, official = county
    # A registered household far above the 2018 line (2500 × 2 = 5000 per person).
    rich = HouseholdFactory(
        village=place.villages.first(), members=1, registered=True, head_name="Rich"
    )
    IncomeSurvey.objects.create(
        household=rich,
        year=2018,
        members=1,
        wages=Decimal("6000"),
        recorded_by=official,
    )
    client.force_login(official)
    body = client.get(
        "/api/reports/targeting-quality/", {"county": place.code, "year": 2018}
    ).json()
    figures = {f["key"]: f["value"] for f in body["figures"]}
    # Registered 2018 surveys: H1 3000, H3 4000, Rich 6000 (H2 exited); unregistered:
    # H4 at 1000, under the 2500 line.
    assert figures == {
        "registered": 3,
        "wrong": 1,
        "wrong_rate": "33.33",
        "never": 1,
        "missing": 1,
        "missing_rate": "100.00",
    }
    wrong, missing = body["tables"]
    assert [row["name"] for row in wrong["rows"]] == ["Rich"]
    assert [row["per_capita"] for row in missing["rows"]] == ["1000.00"]
    page = client.get("/reports/targeting/", {"county": place.code, "year": 2018})
    assert page.status_code == 200 and "Rich" in page.content.decode()
    other = CountyFactory()
    assert client.get("/reports/targeting/", {"county": other.code}).status_code == 404


def test_without_a_line_the_counts_are_unknown_not_zero(client, county):
    place, official = county
    PovertyLine.objects.filter(year=2017).delete()
    client.force_login(official)
    body = client.get(
        "/api/reports/income-impact/", {"county": place.code, "year": 2018}
    ).json()
    figures = {f["key"]: f["value"] for f in body["figures"]}
    assert figures["under_base"] is None and figures["crossed"] is None
    assert figures["under_now"] == 1
    assert any("2017" in note for note in body["notes"])


def test_each_report_table_says_what_it_lacks_when_empty(client, county):
    """The targeting tables list households, not sales: their empty text says so
    (the sales tables keep theirs)."""
    place, official = county
    client.force_login(official)
    page = client.get(
        "/reports/targeting/",
        {"county": place.code, "year": 2019},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    for key in ("wrong_evaluation", "missing_evaluation"):
        table = page.split(f'id="table-{key}"', 1)[1].split("</section>", 1)[0]
        assert "没有符合条件的住户" in table and "销售" not in table
    sales = client.get("/reports/sales/", {"county": place.code}).content.decode()
    assert "没有符合条件的住户" not in sales
