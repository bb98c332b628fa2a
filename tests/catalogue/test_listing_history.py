"""A listing's history is its audit events: the farmer's own changes and those made
for them alike, one row per changed field, newest first, in the reader's language,
at a constant query count. The trail's pages (the on-behalf record, the audit
page, the household file) still show only what others did."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from audit.models import AuditEvent
from audit.services import record
from catalogue.selectors import listing_history
from catalogue.services import listings
from tests.factories import (
    AssistantFactory,
    CategoryFactory,
    ProductFactory,
    UserFactory,
    farmer_of,
)

pytestmark = pytest.mark.django_db


def pks(response, name="page_obj"):
    assert response.status_code == 200
    return [event.pk for event in response.context[name]]


def test_a_farmers_own_change_is_in_the_history_and_not_on_the_on_behalf_record(
    client,
):
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    product = ProductFactory(farmer=farmer, stock=20)
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(assistant.county)
    client.force_login(farmer.user)
    client.post(
        reverse("catalogue:listing_quick", args=[product.pk]),
        {"price": "68.00", "stock": "5", "stock_seen": "20"},
    )
    own = AuditEvent.objects.get()
    assert (own.actor, own.subject_id) == (farmer.user, product.pk)
    page = client.get(
        reverse("catalogue:listing", args=[product.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert [
        (row["by"], row["label"], row["before"], row["after"])
        for row in page.context["changes"]
    ] == [(farmer.user, "stock", "20", "5")]

    # Someone else's change, and the platform's (an actor-less event): shown.
    listings.product_update(product=product, changed_by=assistant.user, stock=4)
    by_assistant = AuditEvent.objects.exclude(pk=own.pk).get()
    with transaction.atomic():
        by_platform = record(
            actor=None,
            action=AuditEvent.Action.LISTING_ARCHIVED,
            subject=product,
            farmer=farmer,
        )
    client.force_login(assistant.user)
    on_behalf = pks(client.get(reverse("assistants:on_behalf")))
    assert on_behalf == [by_platform.pk, by_assistant.pk]
    detail = client.get(reverse("fieldwork:farmer_detail", args=[farmer.pk]))
    assert pks(detail, "audit_events") == [by_platform.pk, by_assistant.pk]
    for reader in (official, UserFactory(role=Role.STAFF)):
        client.force_login(reader)
        assert pks(client.get(reverse("audit:events"))) == on_behalf
    assert [row["by"] for row in listing_history(product)] == [
        assistant.user,
        farmer.user,
    ]


def test_history_rows_are_one_per_field_newest_first_in_the_readers_language():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    product = ProductFactory(farmer=farmer, price=Decimal("40.00"), stock=10)
    fruit = CategoryFactory(
        slug="fresh-fruit", name_zh="新鲜水果", name_en="Fresh fruit"
    )
    listings.product_update(
        product=product,
        changed_by=farmer.user,
        category=fruit,
        unit="box",
        price=Decimal("38.50"),
        stock=7,
    )
    with translation.override("zh-hans"):  # what is stored is in no language
        listings.product_update(
            product=product, changed_by=assistant.user, title="Fruit"
        )
    (title,) = (e for e in AuditEvent.objects.all() if "title" in e.after)
    assert AuditEvent.objects.exclude(pk=title.pk).get().after == {
        "category": "fresh-fruit",
        "unit": "box",
        "price": "38.50",
        "stock": 7,
    }
    rows = lambda: [  # noqa: E731
        (row["by"], row["label"], row["before"], row["after"])
        for row in listing_history(product)
    ]
    with translation.override("en"):
        assert rows() == [
            (assistant.user, "title", product.title, "Fruit"),
            (farmer.user, "stock", "10", "7"),
            (farmer.user, "price (yuan per unit)", "40.00", "38.50"),
            (farmer.user, "unit", "bottle", "box"),
            (farmer.user, "category", "Honey", "Fresh fruit"),
        ]
    with translation.override("zh-hans"):
        assert rows()[-1] == (farmer.user, "品类", "蜂蜜", "新鲜水果")
    assert len(listing_history(product, limit=3)) == 3


def test_the_history_costs_the_same_queries_for_any_number_of_changes():
    product = ProductFactory()
    fruit = CategoryFactory(
        slug="fresh-fruit", name_zh="新鲜水果", name_en="Fresh fruit"
    )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            listing_history(product)
        return len(captured.captured_queries)

    listings.product_update(
        product=product, changed_by=product.created_by, category=fruit
    )
    few = queries()
    for stock in range(1, 15):
        listings.product_update(
            product=product, changed_by=product.created_by, stock=stock
        )
    assert queries() == few
