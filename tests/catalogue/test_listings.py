"""Listings: every status transition (allowed and refused), the change history of
edits by farmers and by assistants acting for them, and the database's rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalogue.models import Product, ProductStatus
from catalogue.selectors import products_visible_to, public_products, review_queue
from catalogue.services.listings import (
    TRANSITIONS,
    product_approve,
    product_archive,
    product_create,
    product_reject,
    product_restore,
    product_submit,
    product_update,
)
from tests.factories import (
    AssistantFactory,
    CategoryFactory,
    FarmerFactory,
    ProductFactory,
    farmer_of,
    listing_changes,
)

pytestmark = pytest.mark.django_db
S = ProductStatus
ACTIONS = {
    "submit": (product_submit, {}, S.PENDING),
    "approve": (product_approve, {}, S.ACTIVE),
    "reject": (product_reject, {"reason": "Blurry photo"}, S.REJECTED),
    "archive": (product_archive, {}, S.ARCHIVED),
    "restore": (product_restore, {}, S.DRAFT),
}
# Written out by hand (not derived from TRANSITIONS), so a wrong table fails.
ALLOWED_FROM = {
    "submit": {"draft", "rejected"},
    "approve": {"pending"},
    "reject": {"pending"},
    "archive": {"draft", "pending", "active", "rejected"},
    "restore": {"archived"},
}
CASES = [
    (action, start, start in ALLOWED_FROM[action])
    for action in ACTIONS
    for start in S.values
]


def test_the_hand_written_table_is_the_services_table():
    assert {a: set(starts) for a, starts in TRANSITIONS.items()} == ALLOWED_FROM


@pytest.mark.parametrize(("action", "start", "allowed"), CASES)
def test_every_transition_is_allowed_or_refused(action, start, allowed):
    reason = "Blurry photo" if start == S.REJECTED else ""
    product = ProductFactory(status=start, rejection_reason=reason)
    service, kwargs, result = ACTIONS[action]
    if allowed:
        assert service(product=product, **kwargs).status == result
    else:
        with pytest.raises(ValidationError) as error:
            service(product=product, **kwargs)
        assert error.value.code == "illegal_transition"
    product.refresh_from_db()
    assert product.status == (result if allowed else start)


def test_the_review_path_and_a_resubmission():
    product = ProductFactory()
    product_submit(product=product)
    product = product_reject(product=product, reason="Say where the honey comes from")
    assert product.rejection_reason == "Say where the honey comes from"
    product = product_submit(product=product)
    assert (product.status, product.rejection_reason) == (S.PENDING, "")
    assert product_approve(product=product).status == S.ACTIVE


def test_rejecting_needs_a_reason():
    product = ProductFactory(status=S.PENDING)
    with pytest.raises(ValidationError):
        product_reject(product=product, reason="   ")
    product.refresh_from_db()
    assert product.status == S.PENDING


def test_an_assistant_edit_is_recorded_on_behalf_of_the_farmer():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    product = product_create(
        farmer=farmer,
        created_by=assistant.user,
        category=CategoryFactory(),
        title="Walnuts",
        unit="kg",
        net_weight_kg=Decimal("1"),
        price=Decimal("40"),
        stock=10,
    )
    assert product.created_by == assistant.user
    product_update(product=product, changed_by=assistant.user, price=Decimal("38.50"))
    product_update(product=product, changed_by=farmer.user, stock=7)
    assert listing_changes(product) == [
        ("price", "40.00", "38.50", assistant.user),
        ("stock", 10, 7, farmer.user),
    ]


def test_changing_reviewed_content_sends_an_active_listing_back_to_review():
    product = ProductFactory(status=S.ACTIVE)
    product = product_update(product=product, changed_by=product.created_by, stock=3)
    assert product.status == S.ACTIVE  # stock and price need no review
    product = product_update(
        product=product, changed_by=product.created_by, title="Better honey"
    )
    assert product.status == S.PENDING and product.submitted_at


def test_an_unchanged_edit_records_nothing_and_an_archived_one_is_refused():
    product = ProductFactory()
    product_update(product=product, changed_by=product.created_by, price=product.price)
    assert not listing_changes(product)
    archived = ProductFactory(status=S.ARCHIVED)
    with pytest.raises(ValidationError):
        product_update(product=archived, changed_by=archived.created_by, stock=1)


@pytest.mark.parametrize(
    "fields",
    [
        {"price": Decimal("-1")},
        {"price": Decimal("0")},
        {"price": Decimal("1000000.01")},
        {"title": "茶" * 81},
        {"net_weight_kg": Decimal("0")},
    ],
)
def test_bad_values_are_refused_with_messages_and_nothing_changes(fields):
    product = ProductFactory()
    before = Product.objects.values().get(pk=product.pk)
    with pytest.raises(ValidationError) as error:
        product_update(product=product, changed_by=product.created_by, **fields)
    assert set(fields) & set(error.value.message_dict)
    assert Product.objects.values().get(pk=product.pk) == before
    assert not listing_changes(product)


@pytest.mark.parametrize(
    "fields",
    [{"stock": -1}, {"price": Decimal("-5")}, {"status": S.REJECTED}],
)
def test_the_database_enforces_stock_price_and_rejection_reason(fields):
    product = ProductFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(**fields)


def test_who_sees_which_listings(make_user):
    assistant = AssistantFactory()
    mine = ProductFactory(farmer=farmer_of(assistant), status=S.PENDING)
    other = ProductFactory(status=S.PENDING)
    assert list(products_visible_to(assistant.user)) == [mine]
    assert list(review_queue(assistant.user)) == [mine]
    assert list(products_visible_to(mine.farmer.user)) == [mine]
    assert not products_visible_to(make_user(role="buyer")).exists()
    assert set(products_visible_to(make_user(role="staff"))) == {mine, other}


def test_only_active_listings_of_active_farmers_are_public():
    live = ProductFactory(status=S.ACTIVE)
    ProductFactory(status=S.PENDING)
    suspended = ProductFactory(
        status=S.ACTIVE, farmer=FarmerFactory(user__is_active=False)
    )
    assert list(public_products()) == [live]
    assert suspended not in public_products()


def test_the_poverty_alleviation_mark_follows_the_household():
    marked = ProductFactory(farmer__household__registered=True)
    plain = ProductFactory()
    assert marked.is_poverty_alleviation_product
    assert not plain.is_poverty_alleviation_product


def test_review_queue_is_oldest_first():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    first, second = ProductFactory(farmer=farmer), ProductFactory(farmer=farmer)
    product_submit(product=second)
    product_submit(product=first)
    assert list(review_queue(assistant.user)) == [second, first]


def test_browser_line_endings_are_not_a_change():
    product = ProductFactory(status=S.ACTIVE, description="第一行\n第二行")
    product = product_update(
        product=product,
        changed_by=product.created_by,
        description="第一行\r\n第二行",
        price=Decimal("70"),
    )
    assert product.status == S.ACTIVE
    assert [field for field, *_rest in listing_changes(product)] == ["price"]


def test_a_reviewer_decides_on_what_they_saw():
    product = ProductFactory(status=S.PENDING)
    seen = product.updated_at.isoformat()
    product_update(product=product, changed_by=product.created_by, title="Changed")
    with pytest.raises(ValidationError) as error:
        product_approve(product=product, version=seen)
    assert error.value.code == "changed"
    product.refresh_from_db()
    assert product.status == S.PENDING
    fresh = product.updated_at.isoformat()
    assert product_approve(product=product, version=fresh).status == S.ACTIVE
