"""On a 390 px phone, every role's top navigation fits in two lines at most, in
Chinese and in English; what does not fit is under a menu (a <details>, no script)
that opens. Screenshots: tests/e2e/artifacts/nav-<role>-<language>.png."""

import pytest
from django.test import Client

from accounts.models import Role
from assistants.models import Assistant
from tests.e2e.conftest import ARTIFACTS, PHONE
from tests.factories import FarmerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROLES = [None, *Role]
LANGUAGES = {"zh-hans": "zh-CN", "en": "en-US"}


def signed_in(role):
    """A user of `role` with the profile the role's pages need (None: anonymous)."""
    if role is None:
        return None
    if role == Role.FARMER:
        return FarmerFactory(user__username="a-farmer-with-a-long-name").user
    user = UserFactory(role=role, username=f"{role}-with-a-long-name")
    if role == Role.ASSISTANT:
        Assistant.objects.create(
            user=user, county=FarmerFactory().household.village.county
        )
    return user


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_the_nav_fits_in_two_lines_with_the_rest_under_a_menu(
    live_server, browser, role, language
):
    context = browser.new_context(
        viewport=PHONE, locale=LANGUAGES[language], device_scale_factor=1
    )
    user = signed_in(role)
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    nav = page.locator("nav.site-nav")
    # Rows: the distinct tops of the nav's top-level items.
    rows = nav.evaluate(
        """nav => new Set([...nav.querySelectorAll(':scope > ul > li')]
            .map(li => Math.round(li.getBoundingClientRect().top))).size"""
    )
    height = nav.evaluate("nav => nav.getBoundingClientRect().height")
    line = nav.evaluate(
        "nav => parseFloat(getComputedStyle(nav.querySelector('a, button')).lineHeight)"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    name = f"nav-{role or 'anonymous'}-{language}"
    page.screenshot(
        path=ARTIFACTS / f"{name}.png", clip={"x": 0, "y": 0, **PHONE, "height": 240}
    )
    assert rows <= 2, (name, rows)
    assert height < 3 * line, (name, height, line)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (name, width)
    more = nav.locator("details.nav-more")
    if role is not None:
        assert more.count() == 1
        more.locator("summary").click()
        assert more.locator("a, button").first.is_visible()
        page.screenshot(
            path=ARTIFACTS / f"{name}-open.png",
            clip={"x": 0, "y": 0, **PHONE, "height": 480},
        )
    context.close()
