"""In a real browser on a 390×844 phone screen, an assistant does a day's field
work: signs in and finds their farmers on the dashboard (those needing help
flagged), records a training session with two topics and two of their farmers
attending, records a household visit and an income survey for one farmer (a
household size of 0 and a negative wage are refused first, and nothing is saved),
and sees the farmer's file update: the visit, the training attended, and the survey
in the chart with the platform sales filled in from the farmer's completed order.
On the survey page the per-person income and the poverty-line status are shown;
correcting the wages moves the household above the line and the change is kept.

Elements are found by ids, names and hrefs, not by visible text, so the journey
does not depend on the page's language. Screenshots are saved under
tests/e2e/artifacts/ as fieldwork_journey_*.png."""

import re
from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audit.models import AuditEvent
from catalogue.models import ProductStatus
from counties.models import PovertyLine, PovertyLineMethod
from fieldwork.models import (
    IncomeSurvey,
    SkillTopic,
    TrainingSession,
    Visit,
    VisitPurpose,
)
from orders.models import Order, OrderStatus
from orders.services.transitions import order_complete, order_ship
from tests.e2e.conftest import phone_snapshot, sign_in
from tests.factories import (
    AssistantFactory,
    ProductFactory,
    farmer_of,
    order_pay,
    place_order,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOPICS = [SkillTopic.PHOTOGRAPHY, SkillTopic.PRICING]
CHALLENGES = "Roads washed out after the rain; parcels wait two days for pickup."
SUPPORT = "A shared cold box at the village post point."
# The survey, as typed; platform sales are added by the application.
FIGURES = {
    "members": "4",
    "other_agriculture": "3000.00",
    "wages": "6000.00",
    "business": "0",
    "transfers": "1200.00",
    "dibao": "800.00",
    "other_income": "0",
    "production_costs": "2000.00",
    "living_costs": "5000.00",
}
CORRECTED_WAGES = "12000.00"
LINE = Decimal("2995.00")


def snapshot(page, name):
    phone_snapshot(page, f"fieldwork_journey_{name}")


def per_capita(platform_sales, figures):
    """Net income per person, worked out here from the typed figures."""
    typed = ("other_agriculture", "wages", "business", "transfers", "other_income")
    income = platform_sales + sum(Decimal(figures[name]) for name in typed)
    net = income - Decimal(figures["production_costs"])
    return (net / int(figures["members"])).quantize(Decimal("0.01"))


def completed_order_in(farmer, year):
    """A completed order of two items from the farmer, paid and completed in
    `year`, built through the order services."""
    product = ProductFactory(
        farmer=farmer, status=ProductStatus.ACTIVE, price="68.00", stock=20
    )
    order = order_pay(order=place_order(product=product, quantity=2))
    order_ship(order=order, actor=farmer.user, carrier="other", tracking_number="E1234")
    order = order_complete(order=order, actor=order.buyer)
    at = datetime(year, 6, 1, 12, tzinfo=timezone.get_current_timezone())
    Order.objects.filter(pk=order.pk).update(paid_at=at, completed_at=at)
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    return order


def help_badges(page, farmer):
    return page.locator(f"main li.farmer-card#farmer-{farmer.pk} .help-reason")


def fill_survey(form, figures):
    for name, value in figures.items():
        form.locator(f"[name={name}]").fill(value)


def test_assistant_records_training_visit_and_survey(live_server, new_phone):
    url = live_server.url
    today = timezone.localdate()
    survey_year = today.year - 1  # survey years cannot be in the future

    # 1. An assistant with three farmers; farmer Li sold in the survey year, and a
    # national poverty line is set for that year.
    assistant = AssistantFactory(user__username="assistant-zhou")
    li = farmer_of(assistant, shop_name="Li's Hill Apiary", slug="li-hill-apiary")
    zhao = farmer_of(assistant, shop_name="Zhao's Walnuts", slug="zhao-walnuts")
    sun = farmer_of(assistant, shop_name="Sun's Tea", slug="sun-tea")
    farmers = (li, zhao, sun)
    order = completed_order_in(li, survey_year)
    # …and was paid today for another, not yet shipped (not the survey year's).
    order_pay(order=place_order(product=order.lines.get().product, quantity=1))
    PovertyLine.objects.create(
        county=None,
        year=survey_year,
        method=PovertyLineMethod.ABSOLUTE,
        amount=LINE,
        source_note="National line (test)",
    )

    # 2. The assistant signs in and lands on the dashboard, which lists their
    # farmers, each needing help: none has been visited this quarter, and Zhao and
    # Sun have nothing on sale and no sale in 30 days either (Li was paid today).
    page = new_phone()
    sign_in(page, url, "assistant-zhou", "/assistant/")
    expect(page.locator("main li.farmer-card")).to_have_count(3)
    reasons = {li.pk: 1, zhao.pk: 3, sun.pk: 3}
    for farmer in farmers:
        card = page.locator(f"main li.farmer-card#farmer-{farmer.pk}")
        expect(card).to_have_class(re.compile(r"\bneeds-help\b"))
        expect(
            card.locator(f'a[href="/assistant/farmers/{farmer.pk}/"]')
        ).to_have_count(1)
        expect(help_badges(page, farmer)).to_have_count(reasons[farmer.pk])
    snapshot(page, "0_dashboard")

    # 3. A training session: two topics, and Li and Zhao attended (not Sun).
    page.locator('main a[href="/assistant/training/new/"]').first.click()
    page.wait_for_url(f"{url}/assistant/training/new/")
    form = page.locator("main form#training-form")
    expect(form.locator("input[name=farmers]")).to_have_count(3)
    form.locator("[name=held_on]").fill(today.isoformat())
    form.locator("[name=hours]").fill("2.5")
    form.locator("[name=location]").fill("Village committee hall")
    for topic in TOPICS:
        form.locator(f"input[name=topics][value={topic}]").check()
    for farmer in (li, zhao):
        form.locator(f"input[name=farmers][value='{farmer.pk}']").check()
    snapshot(page, "1_training_form")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/assistant/training/")
    session = TrainingSession.objects.get(assistant=assistant)
    rows = page.locator("main ul.rows li.row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(today.strftime("%Y-%m-%d"))
    expect(rows.first).to_contain_text("Village committee hall")
    expect(rows.first.locator(".badge")).to_have_count(2)
    # The totals: one session, 2.5 hours, two farmers trained (in any language).
    totals = page.locator("main .totals")
    expect(totals).to_be_visible()
    assert re.findall(r"\d+(?:\.\d+)?", totals.inner_text()) == ["1", "2.5", "2"]
    snapshot(page, "2_training_list")

    # 4. Li's file: record a visit, and see it there.
    page.goto(f"{url}/assistant/farmers/{li.pk}/")
    expect(page.locator("main li.visit")).to_have_count(0)
    page.locator(f'main a[href="/assistant/farmers/{li.pk}/visit/"]').click()
    page.wait_for_url(f"{url}/assistant/farmers/{li.pk}/visit/")
    form = page.locator("main form#visit-form")
    form.locator("[name=visited_on]").fill(today.isoformat())
    form.locator("select[name=purpose]").select_option(VisitPurpose.PROBLEM)
    form.locator("[name=challenges]").fill(CHALLENGES)
    form.locator("[name=support_needed]").fill(SUPPORT)
    snapshot(page, "3_visit_form")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/assistant/farmers/{li.pk}/")
    visit_row = page.locator("main li.visit")
    expect(visit_row).to_have_count(1)
    expect(visit_row).to_contain_text(CHALLENGES)
    expect(visit_row).to_contain_text(SUPPORT)
    expect(visit_row).to_contain_text(today.strftime("%Y-%m-%d"))
    snapshot(page, "4_file_with_visit")

    # 5. Bad input is refused, with a visible error, and nothing is saved: a
    # household of 0 people, then a negative wage.
    page.locator(f'main a[href="/assistant/farmers/{li.pk}/survey/"]').click()
    page.wait_for_url(f"{url}/assistant/farmers/{li.pk}/survey/")
    form = page.locator("main form#survey-form")
    expect(form.locator("[name=year]")).to_have_value(str(survey_year))
    form.locator("[name=year]").fill(str(survey_year))
    fill_survey(form, {**FIGURES, "members": "0"})
    form.locator("button[type=submit]").click()
    invalid = page.locator("main form#survey-form .field-members .error")
    expect(invalid).to_be_visible()
    assert page.url == f"{url}/assistant/farmers/{li.pk}/survey/"
    assert not IncomeSurvey.objects.exists()
    snapshot(page, "5_survey_household_of_zero_refused")

    form.locator("[name=members]").fill(FIGURES["members"])
    form.locator("[name=wages]").fill("-100")
    form.locator("button[type=submit]").click()
    invalid = page.locator("main form#survey-form .field-wages .error")
    expect(invalid).to_be_visible()
    expect(page.locator("main form#survey-form .error")).to_have_count(1)
    assert not IncomeSurvey.objects.exists()
    snapshot(page, "6_survey_negative_wage_refused")

    # 6. The survey as it should be: back on the file, it is in the chart with the
    # platform sales filled in from Li's completed order, and the training
    # attended is there too.
    fill_survey(form, FIGURES)
    snapshot(page, "7_survey_form")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/assistant/farmers/{li.pk}/")
    survey = IncomeSurvey.objects.get()
    survey_row = page.locator("main li.survey")
    expect(survey_row).to_have_count(1)
    expect(survey_row).to_contain_text(str(survey_year))
    expect(survey_row).to_contain_text(f"¥{order.total}")
    before = per_capita(order.total, FIGURES)
    assert before < LINE  # the figures put the household under the line
    expect(survey_row).to_contain_text(f"¥{before}")
    expect(survey_row.locator(".badge.warn")).to_have_count(1)
    training_row = page.locator("main li.training")
    expect(training_row).to_have_count(1)
    expect(training_row).to_contain_text(today.strftime("%Y-%m-%d"))
    expect(training_row.locator(".badge")).to_have_count(2)
    snapshot(page, "8_file_with_survey_and_training")

    # 7. The survey page: income per person, under the line; correcting the wages
    # moves the household above it, and the correction is listed.
    survey_row.locator(f'a[href="/assistant/surveys/{survey.pk}/"]').click()
    page.wait_for_url(f"{url}/assistant/surveys/{survey.pk}/")
    expect(page.locator("main .per-capita")).to_have_text(f"¥{before}")
    status = page.locator("main .poverty-status")
    expect(status.locator(".badge.warn")).to_have_count(1)
    expect(status.locator(".badge.ok")).to_have_count(0)
    expect(status).to_contain_text(str(LINE))
    expect(page.locator("main section.card ul.rows li.row")).to_have_count(0)
    snapshot(page, "9_survey_page")

    form = page.locator("main form#survey-form")
    expect(form.locator("[name=year]")).to_have_count(0)
    expect(form.locator("[name=wages]")).to_have_value(FIGURES["wages"])
    form.locator("[name=wages]").fill(CORRECTED_WAGES)
    form.locator("button[type=submit]").click()
    after = per_capita(order.total, {**FIGURES, "wages": CORRECTED_WAGES})
    assert after > LINE
    expect(page.locator("main .per-capita")).to_have_text(f"¥{after}")
    assert page.url == f"{url}/assistant/surveys/{survey.pk}/"
    expect(status.locator(".badge.ok")).to_have_count(1)
    expect(status.locator(".badge.warn")).to_have_count(0)
    corrections = page.locator("main section.card ul.rows li.row")
    expect(corrections).to_have_count(1)
    expect(corrections).to_contain_text(f"{FIGURES['wages']} → {CORRECTED_WAGES}")
    snapshot(page, "10_survey_corrected")

    # 8. Back on the dashboard, Li (visited today) no longer needs help; the
    # others still do, for the same reasons.
    page.goto(f"{url}/assistant/")
    li_card = page.locator(f"main li.farmer-card#farmer-{li.pk}")
    expect(li_card).not_to_have_class(re.compile(r"\bneeds-help\b"))
    expect(help_badges(page, li)).to_have_count(0)
    for farmer in (zhao, sun):
        expect(help_badges(page, farmer)).to_have_count(reasons[farmer.pk])
    snapshot(page, "11_dashboard_after")

    # 9. What the database says.
    session.refresh_from_db()
    assert session.held_on == today
    assert session.hours == Decimal("2.5")
    assert not session.online
    assert session.location == "Village committee hall"
    assert sorted(session.topics) == sorted(TOPICS)
    assert set(session.attendance.values_list("farmer_id", flat=True)) == {
        li.pk,
        zhao.pk,
    }
    visit = Visit.objects.get()
    assert visit.assistant == assistant
    assert visit.household == li.household
    assert visit.visited_on == today
    assert visit.purpose == VisitPurpose.PROBLEM
    assert visit.challenges == CHALLENGES
    assert visit.support_needed == SUPPORT
    survey.refresh_from_db()
    assert survey.household == li.household
    assert survey.year == survey_year
    assert survey.recorded_by == assistant.user
    assert survey.platform_sales == order.total
    assert survey.platform_orders == 1
    assert survey.members == int(FIGURES["members"])
    assert survey.wages == Decimal(CORRECTED_WAGES)
    assert survey.net_income_per_capita == after
    change = AuditEvent.objects.get(action=AuditEvent.Action.SURVEY_CORRECTED)
    assert change.subject_id == survey.pk
    assert change.actor == assistant.user
    assert (change.before, change.after) == (
        {"wages": FIGURES["wages"]},
        {"wages": CORRECTED_WAGES},
    )
    assert IncomeSurvey.objects.count() == 1
