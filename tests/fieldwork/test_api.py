"""The field-work API: the same rules and scopes as the pages."""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from fieldwork.models import IncomeSurvey, TrainingSession, Visit
from tests.factories import AssistantFactory, UserFactory, farmer_of

pytestmark = pytest.mark.django_db
LAST_YEAR = timezone.localdate().year - 1
FIGURES = {
    "members": 3,
    "other_agriculture": "2000.00",
    "wages": "3000.00",
    "business": "0",
    "transfers": "600.00",
    "dibao": "600.00",
    "other_income": "0",
    "production_costs": "500.00",
    "living_costs": "4000.00",
}


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def two():
    a, b = AssistantFactory(), AssistantFactory()
    return a, farmer_of(a), b, farmer_of(b)


def test_an_assistant_records_their_work_through_the_api(client, two):
    a, mine, _b, stranger = two
    client.force_login(a.user)
    session = post(
        client,
        "/api/training-sessions/",
        {
            "held_on": "2026-03-01",
            "hours": "2.0",
            "location": "村委会",
            "topics": ["pricing"],
            "farmers": [mine.pk],
        },
    )
    assert session.status_code == 201, session.content
    assert session.json()["attendees"] == [mine.pk]
    refused = post(
        client,
        "/api/training-sessions/",
        {
            "held_on": "2026-03-01",
            "hours": "2.0",
            "location": "x",
            "topics": ["pricing"],
            "farmers": [stranger.pk],
        },
    )
    assert refused.status_code == 400 and "farmers" in refused.json()
    for bad in ({"topics": []}, {"topics": ["pricing"], "hours": "25"}):
        body = {"held_on": "2026-03-01", "hours": "2", "location": "x", **bad}
        assert post(client, "/api/training-sessions/", body).status_code == 400
    assert TrainingSession.objects.count() == 1
    put = client.put(
        f"/api/training-sessions/{session.json()['id']}/attendance/",
        {"farmers": []},
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["attendees"] == []

    visit = post(
        client,
        "/api/visits/",
        {
            "household": mine.household.pk,
            "visited_on": "2026-03-02",
            "purpose": "survey",
        },
    )
    assert visit.status_code == 201
    assert (
        post(
            client,
            "/api/visits/",
            {
                "household": stranger.household.pk,
                "visited_on": "2026-03-02",
                "purpose": "survey",
            },
        ).status_code
        == 400
    )

    survey = post(
        client,
        "/api/surveys/",
        {"household": mine.household.pk, "year": LAST_YEAR, **FIGURES},
    )
    assert survey.status_code == 201, survey.content
    body = survey.json()
    assert body["platform_sales"] == "0.00"
    assert body["net_income_per_capita"] == "1700.00"
    assert body["poverty_status"]["under_line"] is None
    duplicate = post(
        client,
        "/api/surveys/",
        {"household": mine.household.pk, "year": LAST_YEAR, **FIGURES},
    )
    assert duplicate.status_code == 400
    for bad in ({"members": 0}, {"wages": "-5"}, {"year": LAST_YEAR + 2}):
        response = post(
            client,
            "/api/surveys/",
            {"household": mine.household.pk, "year": LAST_YEAR - 1, **FIGURES, **bad},
        )
        assert response.status_code == 400, bad
    corrected = client.patch(
        f"/api/surveys/{body['id']}/",
        {"wages": "3300.00"},
        content_type="application/json",
    )
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["wages"] == "3300.00"
    correction = AuditEvent.objects.get(action=AuditEvent.Action.SURVEY_CORRECTED)
    assert list(correction.after) == ["wages"]
    assert IncomeSurvey.objects.count() == 1


def test_assistant_b_cannot_read_or_write_as_work(client, two):
    a, mine, b, _theirs = two
    client.force_login(a.user)
    survey = post(
        client,
        "/api/surveys/",
        {"household": mine.household.pk, "year": LAST_YEAR, **FIGURES},
    ).json()
    visit = post(
        client,
        "/api/visits/",
        {
            "household": mine.household.pk,
            "visited_on": "2026-03-02",
            "purpose": "survey",
        },
    ).json()
    client.force_login(b.user)
    assert client.get(f"/api/surveys/{survey['id']}/").status_code == 404
    assert client.get(f"/api/visits/{visit['id']}/").status_code == 404
    assert client.get("/api/surveys/").json()["results"] == []
    assert client.get("/api/visits/").json()["results"] == []
    assert (
        client.patch(
            f"/api/surveys/{survey['id']}/",
            {"wages": "1"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        post(
            client,
            "/api/surveys/",
            {"household": mine.household.pk, "year": LAST_YEAR - 1, **FIGURES},
        ).status_code
        == 400
    )
    assert IncomeSurvey.objects.get().wages == Decimal("3000.00")


def test_farmers_see_only_their_household_and_officials_only_read(client, two):
    a, mine, _b, theirs = two
    client.force_login(a.user)
    post(
        client,
        "/api/surveys/",
        {"household": mine.household.pk, "year": LAST_YEAR, **FIGURES},
    )
    client.force_login(theirs.user)
    assert client.get("/api/surveys/").status_code == 200
    assert client.get("/api/surveys/").json()["results"] == []
    client.force_login(mine.user)
    assert len(client.get("/api/surveys/").json()["results"]) == 1
    assert (
        post(
            client,
            "/api/visits/",
            {
                "household": mine.household.pk,
                "visited_on": "2026-03-02",
                "purpose": "survey",
            },
        ).status_code
        == 403
    )
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(mine.household.village.county)
    client.force_login(official)
    assert len(client.get("/api/surveys/").json()["results"]) == 1
    assert post(client, "/api/training-sessions/", {}).status_code == 403
    client.force_login(UserFactory())
    assert client.get("/api/surveys/").status_code == 403
    assert not Visit.objects.exists()


def test_a_survey_without_the_optional_figures_records_them_as_zero(client, two):
    """Every figure but the household size defaults to 0 (found by the API fuzz:
    leaving one out was a 500)."""
    a, mine, _b, _theirs = two
    client.force_login(a.user)
    response = post(
        client,
        "/api/surveys/",
        {"household": mine.household.pk, "year": LAST_YEAR, "members": 2},
    )
    assert response.status_code == 201, response.content
    assert response.json()["wages"] == "0.00"
    without_members = post(
        client, "/api/surveys/", {"household": mine.household.pk, "year": LAST_YEAR - 1}
    )
    assert without_members.status_code == 400
    assert IncomeSurvey.objects.count() == 1
