"""The catalogue API: anyone reads active listings of active farmers, storefronts and
categories (never household data); farmers and assistants write listings through
the listing services, scoped like the pages (another's listing is a 404 and stays
as it was); bad input is a 400 naming the field; lists cost constant queries."""

import io
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from accounts.models import Role
from catalogue.models import (
    Category,
    Product,
    ProductChange,
    ProductImage,
    ProductStatus,
)
from catalogue.selectors import products_visible_to, public_products
from tests.factories import (
    AssistantFactory,
    CountyFactory,
    FarmerFactory,
    ProductFactory,
    VillageFactory,
    farmer_of,
)

pytestmark = pytest.mark.django_db
S = ProductStatus
HUGE_ID = "99999999999999999999999"  # does not fit a 64-bit integer
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
PRODUCTS = "/api/catalogue/products/"
STOREFRONTS = "/api/catalogue/storefronts/"
LISTINGS = "/api/listings/"
ACTIONS = ["submit", "archive", "restore", "approve", "reject"]


@pytest.fixture
def client():
    """Messages in English, so the tests can read them (one test checks zh-hans)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    return response.json()["results"]


def ids(response) -> set[int]:
    return {row["id"] for row in results(response)}


def listing(url=LISTINGS, pk=None, action=None) -> str:
    path = url if pk is None else f"{url}{pk}/"
    return f"{path}{action}/" if action else path


# --- The world ----------------------------------------------------------------------


@pytest.fixture
def world():
    """County A: a registered poor household's farmer (honey, tea) and a plain
    farmer (tea); county B: a plain farmer. Listings in every status, plus an
    active listing of a suspended farmer, which is not public."""
    a, b = CountyFactory(name="County A"), CountyFactory(name="County B")
    honey, tea = (Category.objects.get(slug=slug) for slug in ("honey", "tea"))
    poor = FarmerFactory(
        household__registered=True,
        household__village=VillageFactory(county=a, name="Upper Village"),
        story="We keep bees on the hill.",
        phone="13712345678",
    )
    plain = FarmerFactory(household__village__county=a)
    far = FarmerFactory(household__village__county=b)
    suspended = FarmerFactory(user__is_active=False, household__village__county=a)
    live = SimpleNamespace(
        poor_honey=ProductFactory(
            farmer=poor,
            category=honey,
            title="Wildflower Honey",
            description="Raw and unfiltered.",
            price=Decimal("88.00"),
            stock=3,
            status=S.ACTIVE,
        ),
        poor_tea=ProductFactory(
            farmer=poor,
            category=tea,
            title="Spring green tea",
            description="Picked before the rains; tastes of chestnut.",
            price=Decimal("150.00"),
            stock=0,
            status=S.ACTIVE,
        ),
        plain_tea=ProductFactory(
            farmer=plain,
            category=tea,
            title="Black tea",
            description="Strong and malty.",
            price=Decimal("40.00"),
            stock=100,
            status=S.ACTIVE,
        ),
        far_honey=ProductFactory(
            farmer=far, category=honey, price=Decimal("20.00"), status=S.ACTIVE
        ),
    )
    hidden = [
        ProductFactory(farmer=plain, status=S.DRAFT),
        ProductFactory(farmer=plain, status=S.PENDING),
        ProductFactory(farmer=far, status=S.REJECTED, rejection_reason="Blurry"),
        ProductFactory(farmer=far, status=S.ARCHIVED),
        ProductFactory(farmer=suspended, status=S.ACTIVE),
    ]
    return SimpleNamespace(
        a=a,
        b=b,
        poor=poor,
        plain=plain,
        far=far,
        suspended=suspended,
        live=live,
        hidden=hidden,
        honey=honey,
        tea=tea,
    )


# --- Public catalogue ---------------------------------------------------------------

PRODUCT_FIELDS = {
    "id",
    "title",
    "description",
    "category",
    "unit",
    "net_weight_kg",
    "price",
    "stock_state",
    "storefront",
    "county",
    "village",
    "poverty_alleviation",
    "units_sold",
    "images",
}
HOUSEHOLD_WORDS = [
    "registration",
    "R000",  # the factories' registration numbers
    "illness",
    "poverty_causes",
    "members",
    "head_name",
    "phone",
    "13712345678",
    "household",
]


def test_anonymous_visitors_see_only_active_listings_of_active_farmers(client, world):
    response = client.get(PRODUCTS)
    assert ids(response) == {p.pk for p in vars(world.live).values()}
    assert ids(response) == set(public_products().values_list("pk", flat=True))
    for product in world.hidden:
        assert client.get(f"{PRODUCTS}{product.pk}/").status_code == 404
    assert client.get(f"{PRODUCTS}{HUGE_ID}/").status_code == 404


def test_a_product_shows_the_public_facts_and_nothing_of_the_household(client, world):
    product = world.live.poor_honey
    ProductImage.objects.create(product=product, image="products/b.jpg", position=1)
    ProductImage.objects.create(
        product=product,
        image="products/a.jpg",
        thumbnail="products/renditions/a-thumb.webp",
        position=0,
    )
    response = client.get(f"{PRODUCTS}{product.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == PRODUCT_FIELDS
    assert data == {
        "id": product.pk,
        "title": "Wildflower Honey",
        "description": "Raw and unfiltered.",
        "category": "honey",
        "unit": "bottle",
        "net_weight_kg": "0.500",
        "price": "88.00",
        "stock_state": "low",
        "storefront": world.poor.slug,
        "county": {"id": world.a.pk, "name": "County A"},
        "village": "Upper Village",
        "poverty_alleviation": True,
        "units_sold": 0,
        "images": [
            {
                # Renditions when they exist, else the original.
                "thumbnail": "http://testserver/media/products/renditions/a-thumb.webp",
                "detail": "http://testserver/media/products/a.jpg",
            },
            {
                "thumbnail": "http://testserver/media/products/b.jpg",
                "detail": "http://testserver/media/products/b.jpg",
            },
        ],
    }
    text = client.get(PRODUCTS).content.decode() + response.content.decode()
    for word in HOUSEHOLD_WORDS:
        assert word not in text


def test_stock_is_shown_as_a_state_not_a_number(client, world):
    states = {row["id"]: row["stock_state"] for row in results(client.get(PRODUCTS))}
    assert states[world.live.poor_tea.pk] == "out"
    assert states[world.live.poor_honey.pk] == "low"
    assert states[world.live.plain_tea.pk] == "in_stock"
    assert "stock" not in results(client.get(PRODUCTS))[0]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "tea"}, {"poor_tea", "plain_tea"}),
        ({"category": "no-such-category"}, set()),
        ({"min_price": "40"}, {"poor_honey", "poor_tea", "plain_tea"}),
        ({"max_price": "40.00"}, {"plain_tea", "far_honey"}),
        ({"min_price": "30", "max_price": "100"}, {"poor_honey", "plain_tea"}),
        ({"max_price": "1e30"}, {"poor_honey", "poor_tea", "plain_tea", "far_honey"}),
        ({"poverty_only": "true"}, {"poor_honey", "poor_tea"}),
        (
            {"poverty_only": "false"},
            {"poor_honey", "poor_tea", "plain_tea", "far_honey"},
        ),
        ({"q": "HONEY"}, {"poor_honey", "far_honey"}),
        ({"q": "chestnut"}, {"poor_tea"}),  # in the description
        ({"q": "tea", "poverty_only": "true"}, {"poor_tea"}),
        ({"county": HUGE_ID}, set()),
    ],
)
def test_catalogue_filters(client, world, params, expected):
    response = client.get(PRODUCTS, params)
    assert ids(response) == {getattr(world.live, name).pk for name in expected}


def test_filters_by_county_and_storefront(client, world):
    a = ids(client.get(PRODUCTS, {"county": world.a.pk}))
    assert a == {
        world.live.poor_honey.pk,
        world.live.poor_tea.pk,
        world.live.plain_tea.pk,
    }
    b = ids(client.get(PRODUCTS, {"county": world.b.pk}))
    assert b == {world.live.far_honey.pk}
    shop = ids(client.get(PRODUCTS, {"storefront": world.poor.slug}))
    assert shop == {world.live.poor_honey.pk, world.live.poor_tea.pk}


@pytest.mark.parametrize(
    "params",
    [{"min_price": "cheap"}, {"county": "x"}, {"max_price": "NaN"}, {"q": "茶" * 101}],
)
def test_a_malformed_filter_is_a_400_not_a_500(client, world, params):
    assert client.get(PRODUCTS, params).status_code == 400


def test_storefronts_are_active_farmers_with_something_on_sale(client, world):
    response = client.get(STOREFRONTS)
    assert ids(response) == {world.poor.pk, world.plain.pk, world.far.pk}
    ProductFactory(farmer=FarmerFactory(), status=S.PENDING)  # nothing on sale
    assert ids(client.get(STOREFRONTS)) == {world.poor.pk, world.plain.pk, world.far.pk}
    assert ids(client.get(STOREFRONTS, {"county": world.b.pk})) == {world.far.pk}
    assert client.get(f"{STOREFRONTS}{world.suspended.slug}/").status_code == 404


def test_a_storefront_shows_the_shop_and_nothing_of_the_household(
    client, world, make_user
):
    world.poor.verified_at = LONG_AGO
    world.poor.verified_by = make_user(role=Role.ASSISTANT)
    world.poor.save()
    response = client.get(f"{STOREFRONTS}{world.poor.slug}/")
    assert response.status_code == 200
    assert response.json() == {
        "id": world.poor.pk,
        "shop_name": world.poor.shop_name,
        "slug": world.poor.slug,
        "story": "We keep bees on the hill.",
        "village": "Upper Village",
        "county": {"id": world.a.pk, "name": "County A"},
        "verified": True,
    }
    text = response.content.decode() + client.get(STOREFRONTS).content.decode()
    for word in HOUSEHOLD_WORDS:
        assert word not in text


def test_categories_are_public_and_in_display_order(client, world):
    response = client.get("/api/catalogue/categories/")
    assert response.status_code == 200
    slugs = [row["slug"] for row in response.json()]
    assert slugs == list(Category.objects.values_list("slug", flat=True))
    assert {"honey", "tea"} <= set(slugs)
    detail = client.get("/api/catalogue/categories/tea/")
    assert detail.json()["name_en"] == "Tea"


def test_the_catalogue_is_read_only(client, world):
    assert client.post(PRODUCTS, {"title": "x"}).status_code in (403, 405)
    url = f"{PRODUCTS}{world.live.poor_honey.pk}/"
    assert client.patch(url, {"title": "x"}, "application/json").status_code == 405
    assert client.delete(url).status_code == 405


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
    history = {
        (c.field, c.old_value, c.new_value, c.changed_by)
        for c in ProductChange.objects.filter(product=product)
    }
    assert history == {
        ("price", "58.00", "55.50", farmer.user),
        ("stock", "12", "9", farmer.user),
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
    change = ProductChange.objects.get(product=product)
    assert (change.field, change.changed_by) == ("price", assistant.user)

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
    assert not ProductChange.objects.exists()


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
    assert not ProductChange.objects.exists()


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


# --- Constant queries ---------------------------------------------------------------

FEW, MANY = 5, 100
# Observed plus two. Anonymous catalogue: the products and their photos (2);
# storefronts: one query (1). Listings: session, user, the products and their
# photos (4).
BOUNDS = {PRODUCTS: 4, LISTINGS: 6, STOREFRONTS: 3}


@pytest.fixture
def shelf():
    """An assistant with three farmers (one registered poor household) and a
    stranger, so scope has something to filter; `add(n)` adds n listings spread
    over farmers, categories and statuses, each with two photos."""
    assistant = AssistantFactory()
    farmers = [farmer_of(assistant, household__registered=i == 0) for i in range(3)]
    stranger = FarmerFactory()
    categories = list(Category.objects.all()[:4])
    state = SimpleNamespace(assistant=assistant, added=0)

    def add(count: int) -> None:
        for _ in range(count):
            i = state.added
            state.added += 1
            product = ProductFactory(
                farmer=farmers[i % 3],
                category=categories[i % 4],
                status=S.ACTIVE if i % 5 else S.DRAFT,
                stock=i % 8,
            )
            for position in (1, 0):
                ProductImage.objects.create(
                    product=product,
                    image=f"products/{product.pk}-{position}.jpg",
                    position=position,
                )
        ProductFactory(farmer=stranger, status=S.ACTIVE)

    state.add = add
    return state


def measure(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    rows = results(response)
    return len(queries.captured_queries), rows


def expected(url: str, shelf) -> set[int]:
    if url == PRODUCTS:
        return set(public_products().values_list("pk", flat=True))
    if url == LISTINGS:
        return set(
            products_visible_to(shelf.assistant.user).values_list("pk", flat=True)
        )
    return set(public_products().values_list("farmer", flat=True))


@pytest.mark.parametrize("url", [PRODUCTS, LISTINGS, STOREFRONTS])
def test_list_queries_do_not_grow_with_rows(
    client, shelf, django_assert_max_num_queries, url
):
    if url == LISTINGS:
        client.force_login(shelf.assistant.user)
    page = f"{url}?page_size=200"

    shelf.add(FEW)
    few, rows = measure(client, page)
    assert {row["id"] for row in rows} == expected(url, shelf)
    assert len(rows) >= (2 if url == STOREFRONTS else 4)

    shelf.add(MANY - FEW)
    many, rows = measure(client, page)
    assert {row["id"] for row in rows} == expected(url, shelf)
    if url != STOREFRONTS:
        assert len(rows) >= 80
        with_photos = set(ProductImage.objects.values_list("product", flat=True))
        assert all(len(row["images"]) == 2 for row in rows if row["id"] in with_photos)

    assert many == few, f"{few} queries for {FEW} products, {many} for {MANY}"
    with django_assert_max_num_queries(BOUNDS[url]):
        assert client.get(page).status_code == 200


def test_the_catalogue_and_listings_are_in_the_api_schema(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text()
    for path in (
        "/api/catalogue/categories/",
        "/api/catalogue/products/",
        "/api/catalogue/storefronts/{slug}/",
        "/api/listings/{id}/submit/",
        "/api/listings/{id}/reject/",
        "/api/listings/review-queue/",
    ):
        assert f"{path}:" in schema
    assert "'409':" in schema


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["1.5", "abc"])
def test_id_filters_take_whole_numbers_only(client, value):
    response = client.get("/api/catalogue/products/", {"county": value})
    assert response.status_code == 400
