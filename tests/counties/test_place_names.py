"""A place's name for the reader (counties.models.in_language): the English name
on English pages when there is one, the name as written otherwise; the reports
show places by the same rule."""

import pytest
from django.utils.translation import override

from accounts.models import Role
from counties.models import County, Village
from tests.factories import CountyFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db


def test_a_county_and_a_village_by_language():
    county = County(
        name="C县", name_en="County C", province="贵州省", province_en="Guizhou"
    )
    village = Village(county=county, name="石板村", name_en="Shiban Village")
    with override("zh-hans"):
        assert (str(county), county.province_label) == ("C县", "贵州省")
        assert str(village) == "C县石板村"
    with override("en"):
        assert (str(county), county.province_label) == ("County C", "Guizhou")
        assert str(village) == "Shiban Village, County C"


def test_without_an_english_name_the_name_as_written_is_shown():
    with override("en"):
        assert County(name="清水县").label == "清水县"


def test_income_report_tables_name_villages_by_the_rule(client):
    county = CountyFactory(name="C县", name_en="County C")
    VillageFactory(county=county, name="石板村", name_en="Shiban Village")
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(county)
    client.force_login(official)
    for language, name in (("zh-hans", "C县"), ("en", "County C")):
        page = client.get("/reports/income/", HTTP_ACCEPT_LANGUAGE=language)
        assert f">{name}</option>" in page.content.decode()
    body = client.get(
        "/api/reports/income-impact/",
        {"county": county.code, "year": 2018},
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()
    assert [(t["key"], t["title"]) for t in body["tables"]] == [
        ("by_village", "By village"),
        ("by_assistant", "By assistant (who recorded the survey)"),
    ]


def test_the_assignments_page_names_counties_by_the_rule(client):
    county = CountyFactory(name="C县", name_en="County C")
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(county)
    client.force_login(official)
    for language, name in (("zh-hans", "C县"), ("en", "County C")):
        page = client.get("/assistant/assignments/", HTTP_ACCEPT_LANGUAGE=language)
        assert f">{name}</option>" in page.content.decode()
