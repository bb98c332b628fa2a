"""The public catalogue API: anyone reads active listings of active farmers,
storefronts and categories (never household data), filters them (a malformed
filter is a 400), and writes nothing; the catalogue and listings are in the API
schema."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import Role
from catalogue.models import Category, ProductImage, ProductStatus
from catalogue.selectors import public_products
from tests.catalogue.endpoints import (
    HUGE_ID,
    LONG_AGO,
    PRODUCTS,
    STOREFRONTS,
    ids,
    results,
)
from tests.factories import CountyFactory, FarmerFactory, ProductFactory, VillageFactory

pytestmark = pytest.mark.django_db
S = ProductStatus


@pytest.fixture
def client():
    """Messages in English, so the tests can read them."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


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
