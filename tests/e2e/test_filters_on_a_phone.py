"""On a 390 px phone, the filter forms stack: the audit page (officials and staff)
and a report's filters, in Chinese and in English, do not scroll sideways, every
field is at least 40% of the screen wide, and no label is squeezed narrower than
its text on one line (the walkthrough found 农/户/编/号 one character a line, and
the audit page 514 px wide in zh, 674 px in en). Screenshots:
tests/e2e/artifacts/filters-<page>-<role>-<language>.png."""

import pytest
from django.test import Client

from accounts.models import Role
from tests.e2e.conftest import PHONE, phone_snapshot
from tests.factories import CountyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGUAGES = {"zh-hans": "zh-CN", "en": "en-US"}

# For each label of the form: its width, and the width of its text on one line
# (a copy of it, unwrapped, in the same font).
LABEL_WIDTHS = """form => [...form.querySelectorAll('.field > label')].map(label => {
    const probe = document.createElement('span');
    probe.textContent = label.textContent;
    probe.style.font = getComputedStyle(label).font;
    probe.style.whiteSpace = 'nowrap';
    probe.style.position = 'absolute';
    document.body.appendChild(probe);
    const text = probe.getBoundingClientRect().width;
    probe.remove();
    return [label.textContent, label.getBoundingClientRect().width, text];
})"""
FIELD_WIDTHS = """form => [...form.querySelectorAll('.field input, .field select')]
    .map(input => [input.name, input.getBoundingClientRect().width])"""


def phone_as(browser, live_server, user, language):
    context = browser.new_context(
        viewport=PHONE, locale=LANGUAGES[language], device_scale_factor=1
    )
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
    return context


def assert_stacked(page, form, name):
    phone_snapshot(page, name)  # fails if the page scrolls sideways
    for label, width, text in form.evaluate(LABEL_WIDTHS):
        assert width + 0.5 >= text, (name, label, width, text)
    for field, width in form.evaluate(FIELD_WIDTHS):
        assert width >= 0.4 * PHONE["width"], (name, field, width)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.STAFF])
def test_the_audit_filters_stack_on_a_phone(live_server, browser, role, language):
    county = CountyFactory(name="C县", name_en="County C")
    user = UserFactory(role=role, username=f"audit-{role}")
    if role == Role.OFFICIAL:
        user.counties.add(county)
    context = phone_as(browser, live_server, user, language)
    page = context.new_page()
    page.goto(f"{live_server.url}/audit/")
    form = page.locator("main form[method=get]")
    assert form.locator(".field").count() == 5
    assert_stacked(page, form, f"filters-audit-{role}-{language}")
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reports_filters_stack_on_a_phone(live_server, browser, language):
    county = CountyFactory(name="C县", name_en="County C")
    official = UserFactory(role=Role.OFFICIAL, username="reports-official")
    official.counties.add(county)
    context = phone_as(browser, live_server, official, language)
    page = context.new_page()
    page.goto(f"{live_server.url}/reports/sales/")
    form = page.locator("#report-filters")
    assert_stacked(page, form, f"filters-county-sales-official-{language}")
    context.close()
