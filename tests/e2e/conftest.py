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
