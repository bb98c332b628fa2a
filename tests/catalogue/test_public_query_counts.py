"""The public pages cost a constant number of queries: as many with 100 products
(and their photos, farmers and storefronts) as with 5, under a fixed bound. Each
measurement checks that the rows really are on the page."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import ProductImage, ProductStatus
from tests.factories import (
    CategoryFactory,
    CountyFactory,
    FarmerFactory,
    ProductFactory,
    UserFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db
FEW, MANY = 5, 100
MAX_QUERIES = 8


@pytest.fixture
def market():
    """One county; a verified storefront from a registered household holds every
    other product, the rest come from farmers of their own, in two categories."""
    county = CountyFactory()
    village = VillageFactory(county=county)
    shop = FarmerFactory(
        household__village=village,
        household__registered=True,
        verified_at=datetime(2020, 1, 1, tzinfo=UTC),
        verified_by=UserFactory(),
    )
    return SimpleNamespace(county=county, village=village, shop=shop, products=[])


def stock_up(market, count: int) -> None:
    """Add products (two photos each) until the market holds `count`."""
    categories = [CategoryFactory(slug="honey"), CategoryFactory(slug="tea")]
    for n in range(len(market.products), count):
        farmer = (
            market.shop
            if n % 2 == 0
            else FarmerFactory(household__village=market.village)
        )
        product = ProductFactory(
            farmer=farmer,
            category=categories[n % 2],
            status=ProductStatus.ACTIVE,
            title=f"Honey {n}",
        )
        for position in (1, 0):
            ProductImage.objects.create(
                product=product,
                image=f"products/{product.pk}-{position}.jpg",
                position=position,
            )
        market.products.append(product)
    # The first product gains photos too, so the detail page has more to show.
    ProductImage.objects.create(
        product=market.products[0], image=f"products/extra-{count}.jpg", position=9
    )


PAGES = {
    "home": (lambda m: "/", lambda n: min(n, 12)),
    "catalogue": (lambda m: "/products/", lambda n: min(n, 24)),
    "catalogue filtered": (
        lambda m: (
            f"/products/?q=honey&county={m.county.code}&category=honey"
            "&min_price=1&max_price=1000&poverty=on&sort=-price"
        ),
        lambda n: min((n + 1) // 2, 24),
    ),
    "storefront": (lambda m: f"/shop/{m.shop.slug}/", lambda n: min((n + 1) // 2, 24)),
    "county": (lambda m: f"/counties/{m.county.code}/", lambda n: min(n, 24)),
}


def measure(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_list_pages_run_constant_queries(
    client, market, django_assert_max_num_queries, name
):
    url_of, cards = PAGES[name]
    counts = []
    for size in (FEW, MANY):
        stock_up(market, size)
        url = url_of(market)
        count, page = measure(client, url)
        assert page.count('class="product-card"') == cards(size), (name, size)
        # Every card shows its first photo, as a thumbnail (the first row at once).
        thumbnails = page.count('loading="lazy"') + page.count('loading="eager"')
        assert thumbnails == cards(size), (name, size)
        counts.append(count)
    assert counts[0] == counts[1], (name, counts)
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(url)


def test_the_county_page_lists_storefronts_in_constant_queries(client, market):
    counts = []
    for size in (FEW, MANY):
        stock_up(market, size)
        count, page = measure(client, f"/counties/{market.county.code}/")
        farmers = {p.farmer.pk for p in market.products}
        assert page.count('class="row"') == min(len(farmers), 48)
        counts.append(count)
    assert counts[0] == counts[1]
    # 51 storefronts: the rest are on the second page of storefronts.
    count, page = measure(client, f"/counties/{market.county.code}/?shops=2")
    assert page.count('class="row"') == len(farmers) - 48 == 3
    assert count == counts[1]


def test_the_product_page_runs_constant_queries(
    client, market, django_assert_max_num_queries
):
    counts = []
    for size in (FEW, MANY):
        stock_up(market, size)
        product = market.products[0]
        count, page = measure(client, f"/products/{product.pk}/")
        photos = product.images.count()
        # Every photo is shown; all but the first (on screen at once) load lazily.
        assert page.count(' width="640" height="640"') == photos
        assert page.count('loading="lazy"') == photos - 1
        assert product.title in page
        assert market.shop.shop_name in page
        counts.append(count)
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(f"/products/{market.products[0].pk}/")
