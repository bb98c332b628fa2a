"""In a real browser on a phone-sized screen: Chinese by default, the language
switcher, signing in, and landing on the role's home page."""

import pytest

from accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_farmer_signs_in_and_lands_on_the_storefront(live_server, page, make_user):
    make_user(username="wang", role=Role.FARMER)
    page.goto(live_server.url)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.get_by_role("link", name="登录").first.click()
    page.get_by_label("用户名").fill("wang")
    page.get_by_label("密码").fill("correct-horse-battery-9")
    page.locator("main").get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/farmer/")
    assert page.get_by_role("heading", level=1).inner_text() == "我的店铺"


def test_language_switcher_changes_the_page_to_english(live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    assert page.url.endswith("/accounts/login/")


def test_sign_up_error_is_shown_in_place(live_server, page, make_user):
    make_user(username="taken")
    page.goto(f"{live_server.url}/accounts/sign-up/")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Username").fill("taken")
    page.get_by_label("E-mail").fill("new@example.com")
    page.get_by_label("Password", exact=True).fill("tea-garden-walnut-42")
    page.get_by_label("Password confirmation").fill("tea-garden-walnut-42")
    page.locator("main").get_by_role("button", name="Sign up").click()
    assert page.get_by_role("alert").filter(has_text="is taken").is_visible()
    assert page.url.endswith("/accounts/sign-up/")
