"""The listings API: farmers and assistants write listings through the listing
services, scoped like the pages (another's listing is a 404 and stays as it was);
staff review but do not edit, officials read their county and never write; bad
input is a 400 naming the field; a photo is added, a fake one refused."""

import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.models import Role
from audit.models import AuditEvent
from catalogue.models import Product, ProductStatus
from catalogue.selectors import HISTORY_ACTIONS
from tests.catalogue.endpoints import (
    HUGE_ID,
    LISTINGS,
    LONG_AGO,
    PRODUCTS,
    ids,
    results,
)
from tests.factories import (
    AssistantFactory,
    FarmerFactory,
    ProductFactory,
    farmer_of,
    listing_changes,
)

pytestmark = pytest.mark.django_db
S = ProductStatus
ACTIONS = ["submit", "archive", "restore", "approve", "reject"]


@pytest.fixture
def client():
    """Messages in English, so the tests can read them (one test checks zh-hans)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def listing(url=LISTINGS, pk=None, action=None) -> str:
    path = url if pk is None else f"{url}{pk}/"
    return f"{path}{action}/" if action else path


# --- Listings: farmers and assistants write -----------------------------------------

NEW = {
    "category": "honey",
    "title": "Acacia honey",
    "description": "Light and floral.",
    "unit": "bottle",
    "net_weight_kg": "0.500",
    "price": "58.00",
    "stock": 12,
}


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_a_farmer_creates_edits_and_submits_their_listing(client):
    farmer = FarmerFactory()
    client.force_login(farmer.user)

    response = post(client, LISTINGS, NEW)
    assert response.status_code == 201, response.content
    data = response.json()
    product = Product.objects.get(pk=data["id"])
    assert (product.farmer, product.created_by) == (farmer, farmer.user)
    assert data["status"] == "draft" and data["farmer"] == farmer.pk
    assert data["price"] == "58.00" and data["stock"] == 12

    response = patch(client, listing(pk=product.pk), {"price": "55.50", "stock": 9})
    assert response.status_code == 200, response.content
    assert (response.json()["price"], response.json()["stock"]) == ("55.50", 9)
    assert set(listing_changes(product)) == {
        ("price", "58.00", "55.50", farmer.user),
        ("stock", 12, 9, farmer.user),
    }

    response = post(client, listing(pk=product.pk, action="submit"))
    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    product.refresh_from_db()
    assert product.status == S.PENDING and product.submitted_at

    # The farmer cannot review their own listing, nor approve it by editing.
    assert post(client, listing(pk=product.pk, action="approve")).status_code == 403
    patch(client, listing(pk=product.pk), {"status": "active", "farmer": 1})
    product.refresh_from_db()
    assert (product.status, product.farmer) == (S.PENDING, farmer)


def test_a_farmer_cannot_list_for_another_farmer(client):
    farmer, other = FarmerFactory(), FarmerFactory()
    client.force_login(farmer.user)
    response = post(client, LISTINGS, {**NEW, "farmer": other.pk})
    assert response.status_code == 400
    assert "farmer" in response.json()
    assert not Product.objects.exists()


def test_an_assistant_lists_for_their_farmer_and_reviews(client):
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    client.force_login(assistant.user)

    response = post(client, LISTINGS, {**NEW, "farmer": farmer.pk})
    assert response.status_code == 201, response.content
    product = Product.objects.get(pk=response.json()["id"])
    assert (product.farmer, product.created_by) == (farmer, assistant.user)
    assert response.json()["created_by"] == assistant.user.pk

    patch(client, listing(pk=product.pk), {"price": "60.00"})
    [(field, _old, _new, by)] = listing_changes(product)
    assert (field, by) == ("price", assistant.user)

    assert post(client, listing(pk=product.pk, action="submit")).status_code == 200
    response = post(client, listing(pk=product.pk, action="reject"), {"reason": " "})
    assert response.status_code == 400 and "reason" in response.json()
    response = post(
        client, listing(pk=product.pk, action="reject"), {"reason": "Blurry photo"}
    )
    assert response.status_code == 200
    assert response.json()["rejection_reason"] == "Blurry photo"
    assert response.json()["status"] == "rejected"

    post(client, listing(pk=product.pk, action="submit"))
    response = post(client, listing(pk=product.pk, action="approve"))
    assert response.status_code == 200 and response.json()["status"] == "active"
    assert client.get(f"{PRODUCTS}{product.pk}/").status_code == 200  # now public


@pytest.mark.parametrize(
    ("farmer", "message"),
    [
        (None, "Choose the farmer"),
        ("other", "None of your farmers"),
        ("unassigned", "None of your farmers"),
        (HUGE_ID, "None of your farmers"),
        ("abc", None),
    ],
)
def test_an_assistant_must_name_one_of_their_farmers(client, farmer, message):
    assistant = AssistantFactory()
    farmer_of(assistant)
    values = {
        "other": lambda: farmer_of(AssistantFactory()).pk,
        "unassigned": lambda: (
            FarmerFactory(household__village__county=assistant.county).pk
        ),
    }
    data = dict(NEW)
    if farmer is not None:
        data["farmer"] = values[farmer]() if farmer in values else farmer
    client.force_login(assistant.user)
    response = post(client, LISTINGS, data)
    assert response.status_code == 400
    errors = response.json()
    assert "farmer" in errors
    if message:
        assert message in errors["farmer"][0]
    assert not Product.objects.exists()


def test_illegal_transitions_are_409_and_change_nothing(client):
    assistant = AssistantFactory()
    product = ProductFactory(farmer=farmer_of(assistant), status=S.DRAFT)
    client.force_login(assistant.user)
    for action in ["approve", "restore"]:
        response = post(client, listing(pk=product.pk, action=action))
        assert response.status_code == 409
        assert "cannot be" in response.json()["detail"]
    response = post(client, listing(pk=product.pk, action="reject"), {"reason": "x"})
    assert response.status_code == 409
    product.refresh_from_db()
    assert product.status == S.DRAFT
    chinese = client.post(
        listing(pk=product.pk, action="approve"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "草稿" in chinese.json()["detail"]  # “draft”, translated

    assert post(client, listing(pk=product.pk, action="archive")).status_code == 200
    response = patch(client, listing(pk=product.pk), {"price": "1.00"})
    assert (
        response.status_code == 409 and "restore it first" in response.json()["detail"]
    )
    assert post(client, listing(pk=product.pk, action="restore")).status_code == 200
    product.refresh_from_db()
    assert product.status == S.DRAFT and product.price == Decimal("68.00")


def test_staff_review_any_listing_but_do_not_edit(client, make_user):
    staff = make_user(role=Role.STAFF)
    product = ProductFactory(status=S.PENDING)
    client.force_login(staff)
    assert product.pk in ids(client.get(LISTINGS))
    assert post(client, listing(pk=product.pk, action="approve")).status_code == 200
    assert patch(client, listing(pk=product.pk), {"stock": 1}).status_code == 403
    assert (
        post(client, LISTINGS, {**NEW, "farmer": product.farmer_id}).status_code == 403
    )


# --- Listings: scope ----------------------------------------------------------------


@pytest.fixture
def guarded():
    """A pending listing of an assistant's farmer, and the people who may not
    touch it: another farmer and another assistant in the same county."""
    assistant = AssistantFactory()
    product = ProductFactory(farmer=farmer_of(assistant), status=S.PENDING)
    return SimpleNamespace(
        assistant=assistant,
        product=product,
        other_farmer=FarmerFactory(household__village__county=assistant.county).user,
        other_assistant=AssistantFactory(county=assistant.county).user,
    )


def snapshot(product):
    return Product.objects.values().get(pk=product.pk)


@pytest.mark.parametrize("who", ["other_farmer", "other_assistant"])
def test_another_farmer_or_assistant_gets_404_and_changes_nothing(client, guarded, who):
    product = guarded.product
    before = snapshot(product)
    client.force_login(getattr(guarded, who))
    url = listing(pk=product.pk)
    assert product.pk not in ids(client.get(LISTINGS))
    assert client.get(url).status_code == 404
    assert patch(client, url, {"price": "1.00", "title": "Mine now"}).status_code == 404
    for action in ["submit", "archive", "restore"]:
        assert post(client, listing(pk=product.pk, action=action)).status_code == 404
    if who == "other_assistant":  # farmers may not review at all (403)
        assert post(client, listing(pk=product.pk, action="approve")).status_code == 404
        response = post(
            client, listing(pk=product.pk, action="reject"), {"reason": "x"}
        )
        assert response.status_code == 404
    assert client.get(listing(pk=HUGE_ID)).status_code == 404
    assert snapshot(product) == before
    assert not AuditEvent.objects.filter(action__in=HISTORY_ACTIONS).exists()


def test_the_farmer_and_their_assistant_see_the_listing(client, guarded):
    for user in (guarded.product.farmer.user, guarded.assistant.user):
        client.force_login(user)
        assert ids(client.get(LISTINGS)) == {guarded.product.pk}
        assert client.get(listing(pk=guarded.product.pk)).status_code == 200


def test_buyers_and_anonymous_visitors_are_refused(client, guarded, make_user):
    assert client.get(LISTINGS).status_code == 403
    assert post(client, LISTINGS, NEW).status_code == 403
    client.force_login(make_user(role=Role.BUYER))
    assert client.get(LISTINGS).status_code == 403
    assert client.get(listing(pk=guarded.product.pk)).status_code == 403
    assert (
        post(client, listing(pk=guarded.product.pk, action="submit")).status_code == 403
    )


def test_officials_read_their_county_but_never_write(client, guarded, make_user):
    official = make_user(role=Role.OFFICIAL)
    official.counties.add(guarded.assistant.county)
    ProductFactory()  # another county
    product = guarded.product
    before = snapshot(product)
    client.force_login(official)
    assert ids(client.get(LISTINGS)) == {product.pk}
    assert client.get(listing(pk=product.pk)).status_code == 200
    assert patch(client, listing(pk=product.pk), {"price": "1.00"}).status_code == 403
    farmer = {"farmer": product.farmer_id}
    assert post(client, LISTINGS, {**NEW, **farmer}).status_code == 403
    for action in ACTIONS:
        url = listing(pk=product.pk, action=action)
        assert post(client, url, {"reason": "x"}).status_code == 403
    assert client.delete(listing(pk=product.pk)).status_code == 403
    assert snapshot(product) == before
    assert Product.objects.count() == 2


def test_listings_cannot_be_deleted_or_replaced(client, guarded):
    client.force_login(guarded.product.farmer.user)
    url = listing(pk=guarded.product.pk)
    assert client.delete(url).status_code == 405
    assert client.put(url, NEW, content_type="application/json").status_code == 405
    assert Product.objects.filter(pk=guarded.product.pk).exists()


def test_the_review_queue_is_the_assistants_pending_listings_oldest_first(
    client, guarded
):
    farmer = guarded.product.farmer
    later = ProductFactory(farmer=farmer)
    client.force_login(farmer.user)
    post(client, listing(pk=later.pk, action="submit"))
    ProductFactory(farmer=farmer, status=S.DRAFT)
    ProductFactory(status=S.PENDING)  # someone else's farmer
    Product.objects.filter(pk=guarded.product.pk).update(submitted_at=LONG_AGO)
    assert client.get(f"{LISTINGS}review-queue/").status_code == 403
    client.force_login(guarded.assistant.user)
    rows = results(client.get(f"{LISTINGS}review-queue/"))
    assert [row["id"] for row in rows] == [guarded.product.pk, later.pk]


# --- Listings: bad input ------------------------------------------------------------

BAD = [
    pytest.param({"price": "-1"}, "price", id="negative-price"),
    pytest.param({"price": "0"}, "price", id="zero-price"),
    pytest.param({"price": "1000000.01"}, "price", id="price-over-a-million"),
    pytest.param({"price": "1e400"}, "price", id="absurd-price"),
    pytest.param({"stock": -1}, "stock", id="negative-stock"),
    pytest.param({"stock": 2**40}, "stock", id="absurd-stock"),
    pytest.param({"category": "caviar"}, "category", id="unknown-category"),
    pytest.param({"title": "茶" * 81}, "title", id="title-over-80"),
    pytest.param({"unit": "ton"}, "unit", id="unknown-unit"),
    pytest.param({"net_weight_kg": "0"}, "net_weight_kg", id="no-weight"),
]


@pytest.mark.parametrize(("fields", "field"), BAD)
def test_bad_input_to_create_is_a_400_naming_the_field(client, fields, field):
    farmer = FarmerFactory()
    client.force_login(farmer.user)
    response = post(client, LISTINGS, {**NEW, **fields})
    assert response.status_code == 400
    assert field in response.json()
    assert response.json()[field][0]  # a message
    assert not Product.objects.exists()


@pytest.mark.parametrize(("fields", "field"), BAD)
def test_bad_input_to_update_is_a_400_and_changes_nothing(client, fields, field):
    product = ProductFactory()
    before = snapshot(product)
    client.force_login(product.farmer.user)
    response = patch(client, listing(pk=product.pk), fields)
    assert response.status_code == 400
    assert field in response.json()
    assert snapshot(product) == before
    assert not AuditEvent.objects.filter(action__in=HISTORY_ACTIONS).exists()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 160, 40)).save(out, format="JPEG")
    return out.getvalue()


def test_a_photo_is_added_through_the_api_and_a_fake_one_refused(client):
    product = ProductFactory()
    client.force_login(product.farmer.user)
    url = listing(pk=product.pk, action="images")
    photo = SimpleUploadedFile("honey.jpg", jpeg(), content_type="image/jpeg")
    response = client.post(url, {"image": photo})
    assert response.status_code == 201, response.content
    assert len(response.json()["images"]) == 1
    fake = SimpleUploadedFile("honey.jpg", b"<html>not a photo</html>")
    response = client.post(url, {"image": fake})
    assert response.status_code == 400
    assert "image" in response.json()
    assert product.images.count() == 1
    other = FarmerFactory().user
    client.force_login(other)
    photo = SimpleUploadedFile("mine.jpg", jpeg(), content_type="image/jpeg")
    assert client.post(url, {"image": photo}).status_code == 404
    assert product.images.count() == 1
