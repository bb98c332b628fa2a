"""catalogue 0002 folds ProductChange into the audit trail: the rows of one edit
become one event (the edit's on-behalf event, when the old code had written one,
is kept and not doubled), the listing's history reads the same, and the table is
dropped. Going back makes the rows again and removes the farmers' own events."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation

from catalogue.models import Product
from catalogue.selectors import listing_history
from tests.factories import (
    AssistantFactory,
    CategoryFactory,
    ProductFactory,
    farmer_of,
)

BEFORE = [("catalogue", "0001_initial")]
AFTER = [("catalogue", "0002_product_changes_into_audit")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    return executor.migrate(targets).apps


@pytest.fixture
def back_to_the_latest_schema():
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def shown(product):
    with translation.override("en"):
        return [
            (row["by"].username, row["label"], row["before"], row["after"])
            for row in listing_history(product)
        ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_schema")
def test_product_changes_become_the_listings_audit_events_and_back():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    product = ProductFactory(farmer=farmer, title="Honey")
    untouched = ProductFactory(farmer=farmer)
    # Seeded by a migration, but a transactional test before may have flushed it.
    CategoryFactory(slug="fresh-fruit", name_zh="新鲜水果", name_en="Fresh fruit")
    old = migrate(BEFORE)
    ProductChange = old.get_model("catalogue", "ProductChange")
    AuditEvent = old.get_model("audit", "AuditEvent")
    ContentType = old.get_model("contenttypes", "ContentType")
    product_type = ContentType.objects.get(app_label="catalogue", model="product")
    scope = {
        "subject_type": product_type,
        "subject_id": product.pk,
        "subject_label": product.title,
        "farmer_id": farmer.pk,
        "household_id": farmer.household_id,
        "county_id": assistant.county_id,
    }

    def rows(by, *changes):
        ProductChange.objects.bulk_create(
            ProductChange(
                product_id=product.pk,
                changed_by_id=by.pk,
                field=field,
                old_value=before,
                new_value=after,
            )
            for field, before, after in changes
        )

    # As the old services wrote them: the farmer's own edit (rows only) ...
    rows(
        farmer.user,
        ("category", "honey", "fresh-fruit"),
        ("price", "40.00", "38.50"),
        ("stock", "10", "7"),
    )
    # ... the assistant's edit: rows, and its on-behalf event just after.
    rows(assistant.user, ("title", "Honey", "Fruit"))
    on_behalf = {"actor_id": assistant.user.pk, **scope}
    AuditEvent.objects.create(
        **on_behalf,
        action="listing_changed",
        before={"title": "Honey"},
        after={"title": "Fruit"},
    )
    rows(farmer.user, ("photos", "", "added"))
    rows(assistant.user, ("photos", "", "deleted"))
    AuditEvent.objects.create(**on_behalf, action="photos_changed", note="deleted")
    # A day later, the farmer's price typed with one decimal.
    rows(farmer.user, ("price", "38.50", "55.5"))
    ProductChange.objects.filter(new_value="55.5").update(
        changed_at=timezone.now() + timedelta(days=1)
    )
    other = AuditEvent.objects.create(
        **{**on_behalf, "subject_type": ContentType.objects.get(model="farmer")},
        action="password_reset",
    )
    assert ProductChange.objects.count() == 7

    new = migrate(AFTER)
    with pytest.raises(LookupError):  # the table is gone
        new.get_model("catalogue", "ProductChange")
    events = new.get_model("audit", "AuditEvent").objects.order_by("at", "pk")
    # 3 events before, plus the farmer's 3 edits (the assistant's 2 had theirs).
    assert events.count() == 3 + 3
    made = events.filter(actor_id=farmer.user.pk)
    assert [(e.action, e.before, e.after, e.note) for e in made] == [
        (
            "listing_changed",
            {"category": "honey", "price": "40.00", "stock": 10},
            {"category": "fresh-fruit", "price": "38.50", "stock": 7},
            "",
        ),
        ("photos_changed", {}, {}, "added"),
        ("listing_changed", {"price": "38.50"}, {"price": "55.50"}, ""),
    ]
    first = made[0]
    assert (first.subject_type_id, first.subject_id) == (product_type.pk, product.pk)
    assert (first.farmer_id, first.household_id, first.county_id) == (
        farmer.pk,
        farmer.household_id,
        assistant.county_id,
    )
    assert first.subject_label == "Honey"
    assert events.filter(pk=other.pk).exists()
    # The history as the old rows read, one row per field, newest first (only the
    # price typed as "55.5" now reads at the field's decimal places, "55.50").
    # Read with today's models, on today's schema (later migrations add columns).
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    product = Product.objects.get(pk=product.pk)
    f, a = farmer.user.username, assistant.user.username
    assert shown(product) == [
        (f, "price (yuan per unit)", "38.50", "55.50"),
        (a, "photos", "—", "deleted"),
        (f, "photos", "—", "added"),
        (a, "title", "Honey", "Fruit"),
        (f, "stock", "10", "7"),
        (f, "price (yuan per unit)", "40.00", "38.50"),
        (f, "category", "Honey", "Fresh fruit"),
    ]
    assert listing_history(untouched) == []

    old = migrate(BEFORE)
    back = old.get_model("catalogue", "ProductChange").objects
    assert sorted(
        (c.changed_by_id, c.field, c.old_value, c.new_value) for c in back.all()
    ) == sorted(
        [
            (farmer.user.pk, "category", "honey", "fresh-fruit"),
            (farmer.user.pk, "price", "40.00", "38.50"),
            (farmer.user.pk, "stock", "10", "7"),
            (assistant.user.pk, "title", "Honey", "Fruit"),
            (farmer.user.pk, "photos", "", "added"),
            (assistant.user.pk, "photos", "", "deleted"),
            (farmer.user.pk, "price", "38.50", "55.50"),
        ]
    )
    remaining = old.get_model("audit", "AuditEvent").objects
    assert sorted(remaining.values_list("action", flat=True)) == [
        "listing_changed",
        "password_reset",
        "photos_changed",
    ]
