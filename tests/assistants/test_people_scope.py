"""Who sees which people, proved with real requests through the pages and the API.

Assistants see their actively assigned farmers (and those farmers' households),
officials their counties, farmers themselves, staff everything; buyers get 403 and
anonymous visitors are sent to log in (pages) or refused (API). Every API list
returns exactly the rows of the matching selector, nothing more, nothing less."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from assistants.models import Assignment
from assistants.selectors import (
    assignments_visible_to,
    farmers_visible_to,
    households_visible_to,
)
from assistants.services import assignment_assign
from farmers.models import Farmer, Household, RegisterExit, RegisterStatus
from tests.factories import (
    AssignmentFactory,
    AssistantFactory,
    CountyFactory,
    FarmerFactory,
    HouseholdFactory,
    UserFactory,
    farmer_of,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"  # tests.factories.UserFactory's password
HUGE_ID = "99999999999999999999999"  # does not fit a 64-bit integer

API_LISTS = {
    "farmers": ("/api/farmers/", farmers_visible_to),
    "households": ("/api/households/", households_visible_to),
    "assignments": ("/api/assignments/", assignments_visible_to),
}


# --- The world: 2 counties, 2 assistants each, farmers with assignment history ---


@pytest.fixture
def world():
    """County X (assistants ax1, ax2) and county Y (ay1, ay2), three registered
    farmers each, plus history: reassignments both ways, an ended assignment, a
    household shared by farmers of two assistants, an unassigned farmer and a
    household without farmers. Officials of X, of Y, of both and of none; a
    farmer in a third county that only staff see."""
    x, y = CountyFactory(name="County X"), CountyFactory(name="County Y")
    ax1, ax2 = AssistantFactory(county=x), AssistantFactory(county=x)
    ay1, ay2 = AssistantFactory(county=y), AssistantFactory(county=y)
    start = {
        assistant: [farmer_of(assistant, household__registered=True) for _ in "abc"]
        for assistant in (ax1, ax2, ay1, ay2)
    }
    # ax1's first farmer now belongs to ax2; ay2's first farmer to ay1.
    moved_x, moved_y = start[ax1][0], start[ay2][0]
    assignment_assign(
        farmer=moved_x, assistant=ax2, assigned_by=ax2.user, today=date(2019, 3, 1)
    )
    assignment_assign(
        farmer=moved_y, assistant=ay1, assigned_by=ay1.user, today=date(2019, 3, 1)
    )
    # ax2's first farmer went to ax1 for a while and came back.
    returned = start[ax2][0]
    assignment_assign(
        farmer=returned, assistant=ax1, assigned_by=ax1.user, today=date(2019, 1, 1)
    )
    assignment_assign(
        farmer=returned, assistant=ax2, assigned_by=ax2.user, today=date(2019, 6, 1)
    )
    # ay1's last farmer has no assistant any more.
    dropped = start[ay1][2]
    Assignment.objects.filter(farmer=dropped).update(ended_on=date(2019, 5, 1))
    # A sibling in ax1's second farmer's household, looked after by ax2.
    shared = start[ax1][1].household
    sibling = FarmerFactory(household=shared)
    AssignmentFactory(assistant=ax2, farmer=sibling)
    unassigned = FarmerFactory(household__village__county=x)
    # County Z, which none of the officials oversees: only staff see it.
    elsewhere = AssignmentFactory().farmer
    empty_household = HouseholdFactory(village__county=y, registered=True)

    def official(*counties):
        user = UserFactory(role=Role.OFFICIAL)
        user.counties.add(*counties)
        return user

    users = {
        "assistant_x1": ax1.user,
        "assistant_x2": ax2.user,
        "assistant_y1": ay1.user,
        "assistant_y2": ay2.user,
        "assistant_without_profile": UserFactory(role=Role.ASSISTANT),
        "official_x": official(x),
        "official_y": official(y),
        "official_xy": official(x, y),
        "official_without_county": official(),
        "farmer_x": start[ax1][1].user,  # shares a household with `sibling`
        "farmer_y": start[ay1][0].user,
        "staff": UserFactory(role=Role.STAFF),
        "buyer": UserFactory(role=Role.BUYER),
    }
    return SimpleNamespace(
        x=x,
        y=y,
        ax1=ax1,
        ax2=ax2,
        ay1=ay1,
        ay2=ay2,
        start=start,
        moved_x=moved_x,
        moved_y=moved_y,
        returned=returned,
        dropped=dropped,
        sibling=sibling,
        unassigned=unassigned,
        elsewhere=elsewhere,
        empty_household=empty_household,
        users=users,
        **users,
    )


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def api_ids(client, path: str, **headers) -> set[int]:
    """Every id of an API list, following the cursor (small pages on purpose)."""
    ids, url = [], f"{path}?page_size=4"
    while url:
        response = client.get(url, **headers)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    assert len(ids) == len(set(ids)), f"{path} listed a row twice: {ids}"
    return set(ids)


def farmer_page(farmer, action: str = "") -> str:
    return f"/assistant/farmers/{farmer.pk}/{action + '/' if action else ''}"


def listed_farmers(response) -> set[int]:
    """Farmers of a paginated page, all pages together."""
    return {farmer.pk for farmer in response.context["page_obj"].paginator.object_list}


# --- Lists never leak: API list == selector, for every role -------------------------


@pytest.mark.parametrize("endpoint", sorted(API_LISTS))
@pytest.mark.parametrize(
    "who",
    [
        "assistant_x1",
        "assistant_x2",
        "assistant_y1",
        "assistant_y2",
        "assistant_without_profile",
        "official_x",
        "official_y",
        "official_xy",
        "official_without_county",
        "farmer_x",
        "farmer_y",
        "staff",
    ],
)
def test_api_lists_never_leak_beyond_the_selector(client, world, who, endpoint):
    user = world.users[who]
    path, selector = API_LISTS[endpoint]
    client.force_login(user)
    assert api_ids(client, path) == pks(selector(user))


def test_the_world_gives_every_role_something_different_to_see(world):
    """Guard for the test above: the scopes are not empty and not all alike."""
    seen = {
        who: tuple(frozenset(pks(selector(user))) for _, selector in API_LISTS.values())
        for who, user in world.users.items()
        if who not in {"buyer", "assistant_without_profile", "official_without_county"}
    }
    assert all(all(scope) for scope in seen.values())
    assert len(set(seen.values())) == len(seen)


# --- Assistants ---------------------------------------------------------------------


def test_assistant_sees_exactly_their_active_farmers_and_households(client, world):
    mine = world.start[world.ax1][1:]  # the first one was reassigned to ax2
    client.force_login(world.ax1.user)

    page = client.get("/assistant/farmers/")
    assert page.status_code == 200
    assert listed_farmers(page) == {farmer.pk for farmer in mine}
    assert mine[0].shop_name in page.content.decode()
    assert world.moved_x.shop_name not in page.content.decode()

    assert api_ids(client, "/api/farmers/") == {farmer.pk for farmer in mine}
    assert api_ids(client, "/api/households/") == {f.household_id for f in mine}
    # Their own assignments, past ones included; never another assistant's.
    assert api_ids(client, "/api/assignments/") == pks(
        Assignment.objects.filter(assistant=world.ax1)
    )


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(lambda w: w.start[w.ax2][1], id="same-county-assistant"),
        pytest.param(lambda w: w.start[w.ay1][1], id="other-county-assistant"),
        pytest.param(lambda w: w.moved_x, id="reassigned-away"),
        pytest.param(lambda w: w.returned, id="was-theirs-for-a-while"),
        pytest.param(lambda w: w.unassigned, id="unassigned"),
    ],
)
def test_assistant_a_cannot_read_assistant_bs_farmer(client, world, other):
    farmer = other(world)
    own = world.start[world.ax1][2]
    client.force_login(world.ax1.user)

    assert client.get(farmer_page(own)).status_code == 200  # control
    assert client.get(farmer_page(farmer)).status_code == 404
    assert client.get(farmer_page(farmer, "link")).status_code == 404
    assert client.get(f"/api/farmers/{own.pk}/").status_code == 200  # control
    assert client.get(f"/api/farmers/{farmer.pk}/").status_code == 404
    assert client.get(f"/api/households/{farmer.household_id}/").status_code == 404
    active = Assignment.objects.filter(farmer=farmer, ended_on=None).first()
    if active is not None:
        assert client.get(f"/api/assignments/{active.pk}/").status_code == 404

    assert farmer.pk not in api_ids(client, "/api/farmers/")
    assert farmer.household_id not in api_ids(client, "/api/households/")
    assert farmer.pk not in listed_farmers(client.get("/assistant/farmers/"))
    # Filtering by the farmer's id finds nothing either.
    response = client.get(f"/api/assignments/?farmer={farmer.pk}&active=true")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_farmer_reassigned_away_disappears_from_the_old_assistants_scope(
    client, world
):
    farmer = world.start[world.ax1][2]
    old, new = Client(), Client()
    old.force_login(world.ax1.user)
    new.force_login(world.ax2.user)
    assert old.get(farmer_page(farmer)).status_code == 200
    assert farmer.pk in api_ids(old, "/api/farmers/")
    assert new.get(farmer_page(farmer)).status_code == 404

    # The county's official reassigns the farmer through the assignment page.
    client.force_login(world.official_x)
    response = client.post(
        "/assistant/assignments/", {"farmers": [farmer.pk], "assistant": world.ax2.pk}
    )
    assert response.status_code == 302
    new_assignment = Assignment.objects.get(farmer=farmer, ended_on=None)
    assert new_assignment.assistant == world.ax2

    assert old.get(farmer_page(farmer)).status_code == 404
    assert old.get(f"/api/farmers/{farmer.pk}/").status_code == 404
    assert old.get(f"/api/households/{farmer.household_id}/").status_code == 404
    assert old.get(f"/api/assignments/{new_assignment.pk}/").status_code == 404
    assert farmer.pk not in api_ids(old, "/api/farmers/")
    assert farmer.household_id not in api_ids(old, "/api/households/")
    assert farmer.pk not in listed_farmers(old.get("/assistant/farmers/"))
    # The old assistant keeps their own, now ended, assignment in the history.
    ended = old.get(f"/api/assignments/?farmer={farmer.pk}").json()["results"]
    assert [(row["assistant"], row["active"]) for row in ended] == [
        (world.ax1.pk, False)
    ]

    assert new.get(farmer_page(farmer)).status_code == 200
    assert farmer.pk in api_ids(new, "/api/farmers/")


# --- Officials ----------------------------------------------------------------------


def test_official_sees_exactly_their_county(client, world):
    client.force_login(world.official_x)
    in_x = Farmer.objects.filter(household__village__county=world.x)
    assert api_ids(client, "/api/farmers/") == pks(in_x)
    assert api_ids(client, "/api/households/") == pks(
        Household.objects.filter(village__county=world.x)
    )
    assert api_ids(client, "/api/assignments/") == pks(
        Assignment.objects.filter(farmer__household__village__county=world.x)
    )
    page = client.get("/assistant/assignments/")
    assert page.status_code == 200
    assert page.context["county"] == world.x
    assert listed_farmers(page) == pks(in_x)


def test_official_of_county_x_cannot_see_county_y(client, world):
    farmer = world.start[world.ay1][0]
    assignment = Assignment.objects.get(farmer=farmer, ended_on=None)
    client.force_login(world.official_x)

    assert client.get(farmer_page(world.start[world.ax1][1])).status_code == 200
    assert client.get(farmer_page(farmer)).status_code == 404
    assert client.get(f"/api/farmers/{farmer.pk}/").status_code == 404
    assert client.get(f"/api/households/{farmer.household_id}/").status_code == 404
    assert client.get(f"/api/households/{world.empty_household.pk}/").status_code == 404
    assert client.get(f"/api/assignments/{assignment.pk}/").status_code == 404

    in_y = Farmer.objects.filter(household__village__county=world.y)
    assert not api_ids(client, "/api/farmers/") & pks(in_y)
    assert not api_ids(client, "/api/households/") & pks(
        Household.objects.filter(village__county=world.y)
    )
    assert not api_ids(client, "/api/assignments/") & pks(
        Assignment.objects.filter(farmer__household__village__county=world.y)
    )
    assert client.get(f"/api/farmers/?county={world.y.pk}").json()["results"] == []
    # Asking the assignment page for county Y shows county X instead.
    page = client.get(f"/assistant/assignments/?county={world.y.pk}")
    assert page.status_code == 200
    assert page.context["county"] == world.x
    assert not listed_farmers(page) & pks(in_y)
    assert world.y.name not in page.content.decode()


def test_official_cannot_reassign_a_farmer_outside_their_county(client, world):
    farmer = world.start[world.ax1][1]
    before = pks(Assignment.objects.all())
    client.force_login(world.official_y)
    response = client.post(
        "/assistant/assignments/", {"farmers": [farmer.pk], "assistant": world.ay1.pk}
    )
    assert response.status_code == 302
    assert pks(Assignment.objects.all()) == before
    assert Assignment.objects.get(farmer=farmer, ended_on=None).assistant == world.ax1


# --- Farmers, staff, buyers, anonymous ----------------------------------------------


def test_farmer_sees_only_themselves(client, world):
    farmer = world.start[world.ax1][1]
    client.force_login(farmer.user)
    assert api_ids(client, "/api/farmers/") == {farmer.pk}  # not their sibling
    assert api_ids(client, "/api/households/") == {farmer.household_id}
    assert api_ids(client, "/api/assignments/") == pks(farmer.assignments.all())
    assert client.get(f"/api/farmers/{farmer.pk}/").json()["id"] == farmer.pk
    assert client.get(f"/api/farmers/{world.sibling.pk}/").status_code == 404
    other = world.start[world.ax1][2]
    assert client.get(f"/api/households/{other.household_id}/").status_code == 404

    page = client.get("/farmer/storefront/")
    assert page.status_code == 200
    assert page.context["farmer"] == farmer
    assert client.get(farmer_page(farmer)).status_code == 403


def test_staff_see_everything(client, world):
    client.force_login(world.staff)
    assert api_ids(client, "/api/farmers/") == pks(Farmer.objects.all())
    assert api_ids(client, "/api/households/") == pks(Household.objects.all())
    assert api_ids(client, "/api/assignments/") == pks(Assignment.objects.all())
    for farmer in (world.start[world.ay2][1], world.unassigned, world.elsewhere):
        assert client.get(farmer_page(farmer)).status_code == 200
        assert client.get(farmer_page(farmer, "link")).status_code == 200
    page = client.get(f"/assistant/assignments/?county={world.y.pk}")
    assert listed_farmers(page) == pks(
        Farmer.objects.filter(household__village__county=world.y)
    )


# Each page, and what each role gets on it for a farmer in their scope.
PAGES = {
    "farmer_list": ("get", ""),
    "farmer_detail": ("get", "{farmer}"),
    "farmer_link": ("get", "{farmer}link/"),
    "farmer_verify": ("post", "{farmer}verify/"),
    "household_exit": ("post", "{farmer}exit-register/"),
    "assignment_list": ("get", "/assistant/assignments/"),
    "storefront": ("get", "/farmer/storefront/"),
}
EXPECTED = {
    #                 list detail link verify exit assignments storefront
    "assistant_x1": (200, 200, 200, 302, 302, 403, 403),
    "official_x": (403, 200, 403, 403, 302, 200, 403),
    "staff": (403, 200, 200, 403, 302, 200, 403),
    "farmer_x": (403, 403, 403, 403, 403, 403, 200),
    "buyer": (403, 403, 403, 403, 403, 403, 403),
}


def page_url(world, page: str) -> tuple[str, str]:
    method, url = PAGES[page]
    if url.startswith("/"):
        return method, url
    return method, "/assistant/farmers/" + url.format(
        farmer=f"{world.start[world.ax1][1].pk}/"
    )


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_page_lets_in_only_its_roles(client, world, who, page):
    method, url = page_url(world, page)
    client.force_login(world.users[who])
    response = getattr(client, method)(url)
    assert response.status_code == EXPECTED[who][list(PAGES).index(page)]


@pytest.mark.parametrize("page", list(PAGES))
def test_anonymous_visitors_are_sent_to_log_in(client, world, page):
    method, url = page_url(world, page)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def api_urls(world) -> list[str]:
    farmer = world.start[world.ax1][1]
    assignment = Assignment.objects.filter(farmer=farmer).first()
    return [
        "/api/farmers/",
        f"/api/farmers/{farmer.pk}/",
        "/api/households/",
        f"/api/households/{farmer.household_id}/",
        "/api/assignments/",
        f"/api/assignments/{assignment.pk}/",
    ]


def test_buyer_gets_403_on_every_api_endpoint(client, world):
    client.force_login(world.buyer)
    for url in api_urls(world):
        assert client.get(url).status_code == 403, url


def test_anonymous_gets_refused_by_every_api_endpoint(client, world):
    for url in api_urls(world):
        assert client.get(url).status_code in (401, 403), url


# --- Token authentication -----------------------------------------------------------


def token_for(client, user) -> str:
    response = client.post(
        "/api/token/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.content
    return f"Token {response.json()['token']}"


def test_token_auth_is_scoped_like_the_session(client, world):
    auth = token_for(client, world.ax1.user)
    mine = {farmer.pk for farmer in world.start[world.ax1][1:]}
    assert api_ids(client, "/api/farmers/", HTTP_AUTHORIZATION=auth) == mine
    other = world.start[world.ay1][0]
    response = client.get(f"/api/farmers/{other.pk}/", HTTP_AUTHORIZATION=auth)
    assert response.status_code == 404
    official = token_for(client, world.official_y)
    assert api_ids(client, "/api/households/", HTTP_AUTHORIZATION=official) == pks(
        Household.objects.filter(village__county=world.y)
    )


def test_token_auth_buyer_and_bad_token_are_refused(client, world):
    auth = token_for(client, world.buyer)
    assert client.get("/api/farmers/", HTTP_AUTHORIZATION=auth).status_code == 403
    response = client.get("/api/farmers/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code in (401, 403)


# --- Writes outside scope change nothing --------------------------------------------


@pytest.mark.parametrize(
    "who, target",
    [
        ("assistant_x1", lambda w: w.start[w.ax2][1]),
        ("assistant_x1", lambda w: w.start[w.ay1][1]),
        ("assistant_x1", lambda w: w.moved_x),
        ("assistant_y1", lambda w: w.dropped),
    ],
    ids=["same-county", "other-county", "reassigned-away", "no-longer-assigned"],
)
def test_verifying_a_farmer_outside_scope_changes_nothing(client, world, who, target):
    farmer = target(world)
    client.force_login(world.users[who])
    assert client.post(farmer_page(farmer, "verify")).status_code == 404
    farmer.refresh_from_db()
    assert (farmer.verified_at, farmer.verified_by) == (None, None)


def test_verifying_an_own_farmer_works(client, world):
    farmer = world.start[world.ax1][1]
    client.force_login(world.ax1.user)
    assert client.post(farmer_page(farmer, "verify")).status_code == 302
    farmer.refresh_from_db()
    assert farmer.verified_at is not None
    assert farmer.verified_by == world.ax1.user


EXIT = {"exited_on": "2020-01-15", "reason": "Income above the line"}


@pytest.mark.parametrize(
    "who, target",
    [
        ("assistant_x1", lambda w: w.start[w.ax2][2]),
        ("assistant_x1", lambda w: w.start[w.ay1][1]),
        ("assistant_x1", lambda w: w.moved_x),
        ("official_y", lambda w: w.start[w.ax1][2]),
    ],
    ids=["same-county", "other-county", "reassigned-away", "official-other-county"],
)
def test_exit_register_outside_scope_changes_nothing(client, world, who, target):
    farmer = target(world)
    client.force_login(world.users[who])
    assert client.post(farmer_page(farmer, "exit-register"), EXIT).status_code == 404
    farmer.household.refresh_from_db()
    assert farmer.household.status == RegisterStatus.REGISTERED
    assert farmer.household.exited_on is None
    assert not RegisterExit.objects.exists()


@pytest.mark.parametrize("who", ["assistant_x1", "official_x", "staff"])
def test_exit_register_within_scope_works(client, world, who):
    farmer = world.start[world.ax1][2]
    client.force_login(world.users[who])
    assert client.post(farmer_page(farmer, "exit-register"), EXIT).status_code == 302
    farmer.household.refresh_from_db()
    assert farmer.household.status == RegisterStatus.EXITED
    assert RegisterExit.objects.get().household == farmer.household


# --- Absurd ids are 404s, not 500s --------------------------------------------------


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", f"/assistant/farmers/{HUGE_ID}/"),
        ("get", f"/assistant/farmers/{HUGE_ID}/link/"),
        ("post", f"/assistant/farmers/{HUGE_ID}/verify/"),
        ("post", f"/assistant/farmers/{HUGE_ID}/exit-register/"),
        ("get", f"/api/farmers/{HUGE_ID}/"),
        ("get", f"/api/households/{HUGE_ID}/"),
        ("get", f"/api/assignments/{HUGE_ID}/"),
        ("get", "/api/farmers/999999999999999999/"),  # 18 digits: fits, not found
    ],
)
@pytest.mark.parametrize("who", ["assistant_x1", "staff"])
def test_a_huge_id_is_a_404(client, world, who, method, url):
    client.raise_request_exception = False
    client.force_login(world.users[who])
    assert getattr(client, method)(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"/api/farmers/?county={HUGE_ID}",
        f"/api/farmers/?village={HUGE_ID}",
        f"/api/households/?county={HUGE_ID}",
        f"/api/households/?village={HUGE_ID}",
        f"/api/households/?registration_year={HUGE_ID}",
        f"/api/assignments/?farmer={HUGE_ID}",
        f"/api/assignments/?assistant={HUGE_ID}",
        "/api/farmers/?cursor=not-a-cursor",
    ],
)
def test_a_huge_id_in_an_api_filter_is_not_a_500(client, world, url):
    client.raise_request_exception = False
    client.force_login(world.staff)
    response = client.get(url)
    assert response.status_code in (200, 400, 404)
    if response.status_code == 200:
        assert response.json()["results"] == []


@pytest.mark.parametrize("county", ["abc", "-1", "1.5", HUGE_ID])
def test_a_bad_county_on_the_assignment_page_falls_back_to_the_first(
    client, world, county
):
    client.raise_request_exception = False
    client.force_login(world.official_x)
    response = client.get(f"/assistant/assignments/?county={county}")
    assert response.status_code == 200
    assert response.context["county"] == world.x
