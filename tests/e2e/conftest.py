"""Playwright with Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module.

    Playwright's sync API keeps an event loop in this thread, so Django would refuse
    the ORM calls that tests and database teardown make while it runs. The guard is
    relaxed only while the browser is up; it is restored before the next module, so
    no other test (or subprocess it starts) inherits it.
    """
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser, request):
    """A phone-sized page; its screenshot is saved under tests/e2e/artifacts/."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="zh-CN", device_scale_factor=1
    )
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    context.close()


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def new_phone(browser):
    """Opens 390×844 pages (a common phone size) with a Chinese locale, each in its
    own browser context (its own cookies), so several people can be signed in."""
    contexts = []

    def open_page():
        context = browser.new_context(
            viewport=PHONE, locale="zh-CN", device_scale_factor=1
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


PASSWORD = "correct-horse-battery-9"  # UserFactory's default


def sign_in(page, url, username, lands_on, password=PASSWORD):
    """Sign in on the sign-in page and wait for the landing page."""
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{url}{lands_on}")


def phone_snapshot(page, name: str) -> None:
    """A full-page screenshot under tests/e2e/artifacts/, once the page is known not
    to scroll sideways on the phone.

    Chromium's full-page capture leaves the page's scroll position out of step with
    what is on screen, so the next click can land on another element (the mouse
    goes down on the button and comes up on a label); scrolling back to where the
    page was puts them in step."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width}px wide on a phone"
    ARTIFACTS.mkdir(exist_ok=True)
    scrolled = page.evaluate("() => [window.scrollX, window.scrollY]")
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    page.evaluate("([x, y]) => window.scrollTo(x, y)", scrolled)


def sign_out(page) -> None:
    """Sign out from the header: the button is under the nav's "More" menu."""
    page.locator("header details.nav-more summary").click()
    page.locator('header form[action="/accounts/logout/"] button').click()
