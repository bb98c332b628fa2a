"""audit 0002 moves the earlier trails into the audit trail (OnBehalfEvent rows and
SurveyChange rows, the listing change's text detail parsed into before and after),
and going back moves them back."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from fieldwork.models import IncomeSurvey
from tests.factories import AssistantFactory, ProductFactory, farmer_of

BEFORE = [
    ("audit", "0001_initial"),
    ("farmers", "0006_on_behalf_events"),
]
AFTER = [
    ("audit", "0002_on_behalf_events_and_survey_changes"),
    ("farmers", "0007_remove_on_behalf_events"),
    ("assistants", "0004_remove_survey_changes"),
]


def migrate(targets):
    """Migrate to `targets`; the models as they are then (every app's)."""
    executor = MigrationExecutor(connection)
    return executor.migrate(targets).apps


@pytest.fixture
def back_to_the_latest_schema():
    """Whatever happens in the test, the next tests get the current schema: every
    app's latest migration (going back to BEFORE also unapplies later migrations
    of other apps that depend on it)."""
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_schema")
def test_earlier_trails_move_into_the_audit_trail_and_back():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    product = ProductFactory(farmer=farmer)
    survey = IncomeSurvey.objects.create(
        household=farmer.household,
        year=date.today().year - 1,
        members=4,
        platform_sales=0,
        other_agriculture=0,
        wages=Decimal("6000"),
        business=0,
        transfers=0,
        dibao=0,
        other_income=0,
        production_costs=0,
        living_costs=0,
        recorded_by=assistant.user,
    )
    old = migrate(BEFORE)
    OnBehalfEvent = old.get_model("farmers", "OnBehalfEvent")
    SurveyChange = old.get_model("assistants", "SurveyChange")
    common = {"farmer_id": farmer.pk, "actor_id": assistant.user.pk}
    OnBehalfEvent.objects.create(
        **common,
        action="listing_changed",
        product_id=product.pk,
        detail="price: 88.00 → 90.00; stock: 10 → 12",
    )
    OnBehalfEvent.objects.create(
        **common, action="onboarded", detail="秀英的茶 (13912345670)"
    )
    for field, before, after in (
        ("wages", "6000.00", "6500.00"),
        ("members", "4", "5"),
    ):
        SurveyChange.objects.create(
            survey_id=survey.pk,
            changed_by_id=assistant.user.pk,
            field=field,
            old_value=before,
            new_value=after,
        )
    later = timezone.now() + timedelta(days=1)
    SurveyChange.objects.create(
        survey_id=survey.pk,
        changed_by_id=assistant.user.pk,
        field="wages",
        old_value="6500.00",
        new_value="6600.00",
    )
    SurveyChange.objects.filter(new_value="6600.00").update(changed_at=later)

    new = migrate(AFTER)
    AuditEvent = new.get_model("audit", "AuditEvent")
    events = list(AuditEvent.objects.order_by("at", "pk"))
    assert [e.action for e in events] == [
        "listing_changed",
        "onboarded",
        "survey_corrected",
        "survey_corrected",
    ]
    changed, onboarded, corrected, corrected_later = events
    assert (changed.before, changed.after, changed.note) == (
        {"price": "88.00", "stock": 10},
        {"price": "90.00", "stock": 12},
        "",
    )
    assert (changed.subject_id, changed.subject_label) == (product.pk, product.title)
    assert changed.county_id == assistant.county_id
    assert onboarded.note == "秀英的茶 (13912345670)"
    assert (corrected.before, corrected.after) == (
        {"wages": "6000.00", "members": 4},
        {"wages": "6500.00", "members": 5},
    )
    assert corrected_later.after == {"wages": "6600.00"}
    assert corrected.household_id == farmer.household_id
    with pytest.raises(LookupError):  # the old table is dropped
        new.get_model("assistants", "SurveyChange")

    old = migrate(BEFORE)
    back = old.get_model("farmers", "OnBehalfEvent").objects.order_by("at", "pk")
    assert [(e.action, e.detail) for e in back] == [
        ("listing_changed", "price: 88.00 → 90.00; stock: 10 → 12"),
        ("onboarded", "秀英的茶 (13912345670)"),
    ]
    assert old.get_model("assistants", "SurveyChange").objects.count() == 3
    assert not old.get_model("audit", "AuditEvent").objects.exists()
