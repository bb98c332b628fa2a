"""Training, visits and income surveys: the services' rules (bad input refused,
nothing saved), platform sales filled in exactly from completed orders, the
poverty-line status computed under absolute and percentage lines, correction
history, and scope between assistants, farmers and officials."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from catalogue.models import ProductStatus
from counties.models import PovertyLine, PovertyLineMethod
from fieldwork import selectors, services
from fieldwork.models import IncomeSurvey, TrainingSession, Visit
from orders.models import Order
from orders.services.transitions import order_complete, order_refund, order_ship
from tests.factories import (
    SURVEY_FIGURES,
    AssistantFactory,
    ProductFactory,
    UserFactory,
    farmer_of,
    order_pay,
    place_order,
)

pytestmark = pytest.mark.django_db
LAST_YEAR = timezone.localdate().year - 1


def completed_order(farmer, quantity, price, year=None):
    product = ProductFactory(status=ProductStatus.ACTIVE, farmer=farmer, price=price)
    order = order_pay(order=place_order(product=product, quantity=quantity))
    order_ship(order=order, actor=farmer.user, carrier="other", tracking_number="E1234")
    order = order_complete(order=order, actor=order.buyer)
    if year:
        at = datetime(year, 6, 1, 12, tzinfo=timezone.get_current_timezone())
        Order.objects.filter(pk=order.pk).update(paid_at=at, completed_at=at)
    return order


def test_platform_sales_are_exactly_the_completed_sales_paid_in_the_year():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    completed_order(farmer, 3, Decimal("33.33"), LAST_YEAR)
    completed_order(farmer, 1, Decimal("0.01"), LAST_YEAR)
    completed_order(farmer, 1, Decimal("500.00"), LAST_YEAR - 1)  # another year
    refunded = completed_order(farmer, 2, Decimal("70.00"), LAST_YEAR)
    order_refund(order=refunded, actor=UserFactory(role=Role.STAFF))
    order_pay(
        order=place_order(
            product=ProductFactory(status=ProductStatus.ACTIVE, farmer=farmer)
        )
    )  # paid, not completed
    survey = services.survey_record(
        household=farmer.household,
        year=LAST_YEAR,
        recorded_by=assistant.user,
        **SURVEY_FIGURES,
    )
    assert survey.platform_sales == Decimal("100.00")
    assert survey.platform_orders == 2


def test_net_income_per_capita_and_the_poverty_line_absolute_and_percentage():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    county = farmer.household.village.county
    survey = services.survey_record(
        household=farmer.household,
        year=LAST_YEAR,
        recorded_by=assistant.user,
        **SURVEY_FIGURES,
    )
    # (3000 + 6000 + 1200 - 2000) / 4 = 2050.00
    assert survey.net_income_per_capita == Decimal("2050.00")
    assert selectors.poverty_status(survey).under_line is None  # no line set
    national = PovertyLine.objects.create(
        year=LAST_YEAR, method=PovertyLineMethod.ABSOLUTE, amount=Decimal("2995.00")
    )
    status = selectors.poverty_status(survey)
    assert status.line.line == national and status.under_line is True
    PovertyLine.objects.create(
        county=county,
        year=LAST_YEAR,
        method=PovertyLineMethod.PERCENTAGE,
        percentage=Decimal("45"),
        reference_income=Decimal("4000.00"),
    )
    status = selectors.poverty_status(survey)  # county line: 45% of 4000 = 1800
    assert status.line.amount == Decimal("1800.00")
    assert status.under_line is False


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"members": 0}, "members"),
        ({"wages": Decimal("-1")}, "wages"),
        ({"production_costs": Decimal("-0.01")}, "production_costs"),
        ({"dibao": Decimal("5000")}, None),
    ],
)
def test_bad_figures_are_refused_and_nothing_saved(change, code):
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    with pytest.raises(ValidationError) as error:
        services.survey_record(
            household=farmer.household,
            year=LAST_YEAR,
            recorded_by=assistant.user,
            **{**SURVEY_FIGURES, **change},
        )
    if code:
        assert code in error.value.message_dict
    assert not IncomeSurvey.objects.exists()


def test_a_future_year_or_a_duplicate_year_is_refused():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    kwargs = {
        "household": farmer.household,
        "recorded_by": assistant.user,
        **SURVEY_FIGURES,
    }
    with pytest.raises(ValidationError):
        services.survey_record(year=timezone.localdate().year + 1, **kwargs)
    services.survey_record(year=LAST_YEAR, **kwargs)
    with pytest.raises(ValidationError) as error:
        services.survey_record(year=LAST_YEAR, **kwargs)
    assert error.value.code == "duplicate"
    assert IncomeSurvey.objects.count() == 1


def test_corrections_keep_history_and_refresh_platform_sales():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    survey = services.survey_record(
        household=farmer.household,
        year=LAST_YEAR,
        recorded_by=assistant.user,
        **SURVEY_FIGURES,
    )
    completed_order(farmer, 2, Decimal("10.00"), LAST_YEAR)
    other = UserFactory(role=Role.ASSISTANT)
    services.survey_correct(
        survey=survey,
        changed_by=other,
        **{**SURVEY_FIGURES, "wages": Decimal("6500.00")},
    )
    correction = AuditEvent.objects.get(action=AuditEvent.Action.SURVEY_CORRECTED)
    assert correction.actor == other
    assert correction.before == {
        "wages": "6000.00",
        "platform_sales": "0.00",
        "platform_orders": 0,
    }
    assert correction.after == {
        "wages": "6500.00",
        "platform_sales": "20.00",
        "platform_orders": 1,
    }
    with pytest.raises(ValidationError):
        services.survey_correct(
            survey=survey, changed_by=other, **{**SURVEY_FIGURES, "members": 0}
        )
    survey.refresh_from_db()
    assert survey.members == 4 and survey.wages == Decimal("6500.00")
    # Nothing changed: nothing recorded.
    before = AuditEvent.objects.count()
    services.survey_correct(
        survey=survey,
        changed_by=other,
        **{**SURVEY_FIGURES, "wages": Decimal("6500.00")},
    )
    assert AuditEvent.objects.count() == before


def test_training_rules():
    assistant = AssistantFactory()
    mine = farmer_of(assistant)
    stranger = farmer_of(AssistantFactory())
    base = {
        "assistant": assistant,
        "held_on": date(2026, 3, 1),
        "hours": Decimal("2"),
        "location": "村委会",
    }
    for bad in (
        {"topics": []},
        {"topics": ["pricing"], "hours": Decimal("25")},
        {"topics": ["pricing"], "hours": Decimal("0")},
        {"topics": ["astrology"]},
        {"topics": ["pricing"], "location": ""},
        {"topics": ["pricing"], "held_on": timezone.localdate() + timedelta(days=1)},
        {"topics": ["pricing"], "farmers": [mine, stranger]},
    ):
        with pytest.raises(ValidationError):
            services.training_record(**{**base, **bad})
    assert not TrainingSession.objects.exists()
    session = services.training_record(
        **base, topics=["pricing", "photography"], farmers=[mine]
    )
    assert session.topics == ["photography", "pricing"]
    assert list(session.attendees.all()) == [mine]
    online = services.training_record(
        **{**base, "location": ""}, online=True, topics=["bookkeeping"]
    )
    assert online.online


def test_visits_only_to_own_households():
    assistant = AssistantFactory()
    mine = farmer_of(assistant)
    stranger = farmer_of(AssistantFactory())
    with pytest.raises(ValidationError):
        services.visit_record(
            assistant=assistant,
            household=stranger.household,
            visited_on=date(2026, 1, 5),
            purpose="follow_up",
        )
    with pytest.raises(ValidationError):
        services.visit_record(
            assistant=assistant,
            household=mine.household,
            visited_on=date(2026, 1, 5),
            purpose="party",
        )
    assert not Visit.objects.exists()
    services.visit_record(
        assistant=assistant,
        household=mine.household,
        visited_on=date(2026, 1, 5),
        purpose="follow_up",
        challenges="路远",
    )
    assert Visit.objects.get().challenges == "路远"


def test_assistant_b_cannot_read_or_write_assistant_as_households(client):
    a, b = AssistantFactory(), AssistantFactory()
    farmer = farmer_of(a)
    survey = services.survey_record(
        household=farmer.household, year=LAST_YEAR, recorded_by=a.user, **SURVEY_FIGURES
    )
    client.force_login(b.user)
    assert (
        client.get(reverse("fieldwork:farmer_detail", args=[farmer.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("fieldwork:survey_edit", args=[survey.pk])).status_code
        == 404
    )
    data = {"year": LAST_YEAR - 1, **{k: str(v) for k, v in SURVEY_FIGURES.items()}}
    assert (
        client.post(reverse("fieldwork:survey_new", args=[farmer.pk]), data).status_code
        == 404
    )
    assert (
        client.post(
            reverse("fieldwork:survey_edit", args=[survey.pk]), {**data, "wages": "1"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("fieldwork:visit_new", args=[farmer.pk]),
            {"visited_on": "2026-01-01", "purpose": "follow_up"},
        ).status_code
        == 404
    )
    assert IncomeSurvey.objects.count() == 1 and not Visit.objects.exists()
    client.force_login(farmer.user)
    assert (
        client.get(reverse("fieldwork:survey_edit", args=[survey.pk])).status_code
        == 403
    )


def test_pages_record_a_training_a_visit_and_a_survey(client):
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    client.force_login(assistant.user)
    response = client.post(
        reverse("fieldwork:training_new"),
        {
            "held_on": "2026-03-01",
            "hours": "2.5",
            "location": "村委会",
            "topics": ["pricing"],
            "farmers": [farmer.pk],
        },
    )
    assert response.status_code == 302
    listing = client.get(reverse("fieldwork:training_list"))
    assert listing.context["totals"]["hours"] == Decimal("2.5")
    assert listing.context["totals"]["trained"] == 1
    bad = client.post(
        reverse("fieldwork:training_new"),
        {"held_on": "2026-13-45", "hours": "30", "location": ""},
    )
    assert bad.status_code == 200 and bad.context["form"].errors
    assert TrainingSession.objects.count() == 1
    client.post(
        reverse("fieldwork:visit_new", args=[farmer.pk]),
        {"visited_on": "2026-03-02", "purpose": "survey", "challenges": "缺冷库"},
    )
    data = {"year": LAST_YEAR, **{k: str(v) for k, v in SURVEY_FIGURES.items()}}
    assert (
        client.post(reverse("fieldwork:survey_new", args=[farmer.pk]), data).status_code
        == 302
    )
    dup = client.post(reverse("fieldwork:survey_new", args=[farmer.pk]), data)
    assert dup.status_code == 200 and dup.context["form"].non_field_errors()
    page = client.get(
        reverse("fieldwork:farmer_detail", args=[farmer.pk])
    ).content.decode()
    assert "缺冷库" in page and str(LAST_YEAR) in page and "2050.00" in page


@pytest.mark.parametrize("refused_by", ["form", "service"])
def test_a_refused_correction_shows_the_input_again_and_saves_nothing(
    client, monkeypatch, refused_by
):
    """The form shows what was typed, with the error; the page's figures stay the
    saved ones; nothing is written, history included."""
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    survey = services.survey_record(
        household=farmer.household,
        year=LAST_YEAR,
        recorded_by=assistant.user,
        **SURVEY_FIGURES,
    )
    saved = IncomeSurvey.objects.values().get(pk=survey.pk)
    events = AuditEvent.objects.count()
    data = {k: str(v) for k, v in SURVEY_FIGURES.items()} | {"wages": "6500.00"}
    if refused_by == "form":
        data["dibao"] = "9999.00"  # more than the transfers
    else:

        def refuse(**kwargs):
            raise ValidationError("Refused: try again later.")

        monkeypatch.setattr("fieldwork.views.surveys.survey_correct", refuse)
    client.force_login(assistant.user)
    response = client.post(reverse("fieldwork:survey_edit", args=[survey.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    if refused_by == "service":
        assert form.non_field_errors() == ["Refused: try again later."]
    assert form["wages"].value() == "6500.00"
    assert 'value="6500.00"' in response.content.decode()
    shown = response.context["survey"]
    assert (shown.wages, shown.dibao) == (Decimal("6000.00"), Decimal("800.00"))
    assert shown.total_income == Decimal("10200.00")
    assert IncomeSurvey.objects.values().get(pk=survey.pk) == saved
    assert AuditEvent.objects.count() == events


def test_the_line_is_compared_before_rounding():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    figures = {**SURVEY_FIGURES, "members": 2, "other_agriculture": Decimal("5989.99")}
    figures.update(wages=Decimal("0"), transfers=Decimal("0"), dibao=Decimal("0"))
    figures.update(production_costs=Decimal("0"))
    survey = services.survey_record(
        household=farmer.household,
        year=LAST_YEAR,
        recorded_by=assistant.user,
        **figures,
    )
    PovertyLine.objects.create(
        year=LAST_YEAR, method=PovertyLineMethod.ABSOLUTE, amount=Decimal("2995.00")
    )
    status = selectors.poverty_status(survey)
    assert status.per_capita == Decimal("2995.00")  # 2994.995, shown rounded
    assert status.under_line is True


def test_attendance_changes_keep_farmers_moved_away(client):
    from assistants.services import assignment_assign
    from fieldwork.models import Attendance

    assistant = AssistantFactory()
    stays, leaves = farmer_of(assistant), farmer_of(assistant)
    session = services.training_record(
        assistant=assistant,
        held_on=date(2026, 3, 1),
        hours=Decimal("2"),
        location="村委会",
        topics=["pricing"],
        farmers=[stays, leaves],
    )
    other = AssistantFactory(county=assistant.county)
    assignment_assign(farmer=leaves, assistant=other, assigned_by=other.user)
    services.training_attendance_set(session=session, farmers=[])
    assert list(Attendance.objects.values_list("farmer", flat=True)) == [leaves.pk]


def test_absurd_ids_and_filters_are_form_errors_not_500s(client):
    assistant = AssistantFactory()
    farmer_of(assistant)
    client.force_login(assistant.user)
    response = client.post(
        reverse("fieldwork:training_new"),
        {
            "held_on": "2026-03-01",
            "hours": "2",
            "location": "x",
            "topics": ["pricing"],
            "farmers": [str(10**30)],
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    official = UserFactory(role=Role.OFFICIAL)
    client.force_login(official)
    assert client.get(reverse("assistants:on_behalf") + "?by=²").status_code == 200
    client.force_login(assistant.user)
    assert client.get("/listings/?farmer=²").status_code == 200
