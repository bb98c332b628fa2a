"""The catalogue: each filter, the search (SQLite's substring match and
PostgreSQL's full-text search), sorting, paging, GET parameters that are wrong in
every way, and the page's weight."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.models import Product, ProductStatus
from catalogue.selectors import public_products, search_products
from tests.factories import (
    CategoryFactory,
    CountyFactory,
    FarmerFactory,
    ProductFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db
URL = "/products/"


def active(**kwargs):
    return ProductFactory(status=ProductStatus.ACTIVE, **kwargs)


def shown(client, **params) -> list[int]:
    """The ids the catalogue lists for these GET parameters, in order."""
    response = client.get(URL, params)
    assert response.status_code == 200
    return [product.pk for product in response.context["page_obj"]]


@pytest.fixture
def shelf():
    """Honey from a registered household in county A, tea in county B, rice in B."""
    county_a = CountyFactory(code="520101")
    county_b = CountyFactory(code="520202")
    tea = CategoryFactory(slug="tea", name_zh="茶叶", name_en="Tea")
    rice = CategoryFactory(slug="rice", name_zh="大米", name_en="Rice")
    honey = active(
        title="野生土蜂蜜 Wild honey",
        description="Raw, from the hills.",
        price=Decimal("68.00"),
        farmer__household__village=VillageFactory(county=county_a),
        farmer__household__registered=True,
    )
    green_tea = active(
        title="Spring green tea",
        description="Picked before Qingming; 明前绿茶",
        category=tea,
        price=Decimal("128.50"),
        farmer__household__village=VillageFactory(county=county_b),
    )
    red_rice = active(
        title="Red rice",
        description="Mountain terraces.",
        category=rice,
        price=Decimal("15.00"),
        farmer=green_tea.farmer,
    )
    # Creation order sets "newest": rice is newest, honey oldest.
    now = timezone.now()
    for age, product in enumerate([red_rice, green_tea, honey]):
        Product.objects.filter(pk=product.pk).update(
            created_at=now - timedelta(hours=age)
        )
    return {"honey": honey.pk, "tea": green_tea.pk, "rice": red_rice.pk}


def test_without_filters_everything_newest_first(client, shelf):
    assert shown(client) == [shelf["rice"], shelf["tea"], shelf["honey"]]


def test_filter_by_county(client, shelf):
    assert shown(client, county="520101") == [shelf["honey"]]
    assert shown(client, county="520202") == [shelf["rice"], shelf["tea"]]


def test_filter_by_category(client, shelf):
    assert shown(client, category="tea") == [shelf["tea"]]
    assert shown(client, category="honey") == [shelf["honey"]]


def test_filter_by_price_range(client, shelf):
    assert shown(client, min_price="20") == [shelf["tea"], shelf["honey"]]
    assert shown(client, max_price="68") == [shelf["rice"], shelf["honey"]]
    assert shown(client, min_price="15", max_price="15.00") == [shelf["rice"]]
    assert shown(client, min_price="100", max_price="20") == []


def test_filter_poverty_alleviation_products_only(client, shelf):
    assert shown(client, poverty="on") == [shelf["honey"]]


def test_filters_combine(client, shelf):
    assert shown(client, county="520202", max_price="100") == [shelf["rice"]]
    assert shown(client, county="520202", category="rice", q="tea") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("honey", ["honey"]),
        ("HONEY", ["honey"]),
        ("蜂蜜", ["honey"]),  # a Chinese substring of the title
        ("明前", ["tea"]),  # a Chinese substring of the description
        ("terraces", ["rice"]),  # the description
        ("  green  ", ["tea"]),
        ("100%", []),
        ("nothing like this", []),
    ],
)
def test_search_over_title_and_description(client, shelf, query, expected):
    assert shown(client, q=query) == [shelf[name] for name in expected]


def test_search_only_finds_public_products(shelf):
    ProductFactory(title="Hidden honey", status=ProductStatus.DRAFT)
    found = search_products(public_products(), "honey")
    assert [p.pk for p in found] == [shelf["honey"]]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("new", ["rice", "tea", "honey"]),
        ("price", ["rice", "honey", "tea"]),
        ("-price", ["tea", "honey", "rice"]),
    ],
)
def test_sorting(client, shelf, sort, order):
    assert shown(client, sort=sort) == [shelf[name] for name in order]


def test_equal_prices_keep_a_stable_order(client):
    farmer = FarmerFactory()
    products = [active(farmer=farmer, price=Decimal("10")) for _ in range(30)]
    first = shown(client, sort="price")
    second = shown(client, sort="price", page=2)
    assert len(first) == 24 and len(second) == 6
    assert first + second == sorted(p.pk for p in products)


def test_pages_of_24_keep_the_filters(client):
    farmer = FarmerFactory()
    for _ in range(30):
        active(farmer=farmer, title="Walnuts")
    active(title="Chestnuts")
    response = client.get(URL, {"q": "walnut", "sort": "price"})
    assert len(response.context["page_obj"]) == 24
    assert response.context["page_obj"].has_next()
    assert "?q=walnut&amp;sort=price&amp;page=2" in response.content.decode()
    assert len(shown(client, q="walnut", sort="price", page=2)) == 6


def cards(page: str) -> list[str]:
    return re.findall(r'<li class="product-card">.*?</li>', page, re.S)


def test_the_catalogue_never_counts_and_serves_a_repeat_from_its_cache(client):
    for n in range(30):
        active(title=f"Walnuts {n}")
    with CaptureQueriesContext(connection) as first:
        page = client.get(URL, {"page": 2}).content.decode()
    assert page.count('class="product-card"') == 6
    assert not [q for q in first if "COUNT(" in q["sql"].upper()]
    assert 'page=1"' in page and "page=3" not in page  # a previous page, no next
    with CaptureQueriesContext(connection) as again:
        repeat = client.get(URL, {"page": 2}).content.decode()
    assert cards(repeat) == cards(page) and len(cards(page)) == 6
    assert not [q for q in again if "farmers_" in q["sql"]]  # results and choices
    # An edit shows at once: it changes the catalogue's version.
    product = Product.objects.order_by("created_at", "pk").first()
    product.title = "Chestnuts"
    product.save()
    assert "Chestnuts" in client.get(URL, {"page": 2}).content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1e3", "٣"])
def test_a_page_number_that_is_not_one_shows_the_first_page(client, page):
    for n in range(30):
        active(title=f"Walnuts {n}")
    response = client.get(URL, {"page": page})
    assert response.context["page_obj"].number == 1
    assert response.content.decode().count('class="product-card"') == 24


def test_a_page_past_the_last_is_empty_with_a_way_back(client):
    active()
    page = client.get(URL, {"page": 5}).content.decode()
    assert "没有找到商品。" in page and "product-card" not in page
    assert "page=4" in page


BAD = [
    {"min_price": "abc"},
    {"max_price": "abc"},
    {"min_price": "-1"},
    {"max_price": "-1"},
    {"min_price": str(10**30)},
    {"max_price": str(10**30)},
    {"min_price": "1e400"},
    {"min_price": "1e-400"},
    {"min_price": "NaN"},
    {"max_price": "Infinity"},
    {"min_price": "1.234"},
    {"min_price": "1,5"},
    {"category": "no-such-category"},
    {"category": "../../etc"},
    {"category": "蜂蜜"},
    {"county": "abc"},
    {"county": "999999"},
    {"county": "-1"},
    {"county": str(10**30)},
    {"sort": "title"},
    {"sort": "-created_at;drop table"},
    {"q": "x" * 1000},
    {"q": "nul\x00byte"},
    {"county": "52\x000101"},
    {"category": "te\x00a"},
    {"page": "abc"},
    {"page": "-1"},
    {"page": str(10**30)},
    {"poverty": "abc"},
    {"q": "'\" OR 1=1 --"},
    {"q": "!!&|:*<->()"},
]


@pytest.mark.parametrize("params", BAD, ids=lambda p: repr(p)[:40])
def test_bad_parameters_never_fail(client, shelf, params):
    response = client.get(URL, params)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"min_price": "abc"},
        {"max_price": "-1"},
        {"min_price": str(10**30)},
        {"category": "no-such-category"},
        {"county": "999999"},
        {"sort": "title"},
        {"q": "x" * 1000},
    ],
    ids=lambda p: repr(p)[:40],
)
def test_a_bad_filter_is_reported_and_ignored(client, shelf, params):
    response = client.get(URL, params)
    form = response.context["form"]
    assert set(form.errors) == set(params)
    assert 'class="error"' in response.content.decode()
    # Only the bad filter is dropped: the good one next to it still applies.
    assert shown(client, **params, poverty="on") == [shelf["honey"]]


def test_the_form_keeps_what_was_asked(client, shelf):
    page = client.get(
        URL, {"q": "tea", "county": "520202", "category": "tea", "min_price": "5"}
    ).content.decode()
    assert 'value="tea"' in page
    assert '<option value="520202" selected>' in page
    assert '<option value="tea" selected>' in page
    assert 'value="5"' in page


def test_the_county_choices_are_counties_with_products(client, shelf):
    empty = CountyFactory(code="530000")
    page = client.get(URL).content.decode()
    assert 'value="520101"' in page
    assert f'value="{empty.code}"' not in page


def test_the_catalogue_page_weighs_under_100_kb(client):
    """24 products with the longest titles, all badges shown, plus the CSS."""
    county = CountyFactory(name="县" * 30)
    for _ in range(30):
        active(
            title="野" * 80,
            description="描述" * 2500,
            stock=1,
            farmer__household__village=VillageFactory(county=county),
            farmer__household__registered=True,
        )
    response = client.get(URL)
    assert len(response.context["page_obj"]) == 24
    css = Path(settings.BASE_DIR, "static", "css", "app.css").read_bytes()
    html = response.content
    assert "描述" not in html.decode()  # the list does not ship descriptions
    assert len(html) + len(css) < 100_000, (len(html), len(css))


@pytest.mark.services
def test_postgresql_full_text_search(client, shelf):
    """Words in any order and words in a description are found by the full-text
    search, which a plain substring match would miss; substrings still match."""
    assert connection.vendor == "postgresql"
    assert shown(client, q="honey wild") == [shelf["honey"]]
    assert shown(client, q="hills raw") == [shelf["honey"]]
    assert shown(client, q="tea -green") == []
    assert shown(client, q='"green tea"') == [shelf["tea"]]
    assert shown(client, q="蜂蜜") == [shelf["honey"]]
    assert shown(client, q="明前") == [shelf["tea"]]
    assert search_products(public_products(), "honey wild").count() == 1


def test_the_filters_fold_away_until_used(client, shelf):
    assert "<details>" in client.get(URL).content.decode()
    assert "<details>" in client.get(URL, {"sort": "price"}).content.decode()
    assert "<details open>" in client.get(URL, {"poverty": "on"}).content.decode()
    assert "<details open>" in client.get(URL, {"min_price": "x"}).content.decode()
