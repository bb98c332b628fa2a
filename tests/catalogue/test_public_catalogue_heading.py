"""The catalogue's heading and page title name what is browsed: a category (in the
reader's language), a county, or both; "All products" otherwise. The page is
cached whole per language and URL, so each language keeps its own heading."""

import re

import pytest

from catalogue.models import ProductStatus
from tests.factories import CategoryFactory, CountyFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tea():
    county = CountyFactory(code="520101", name="C县", name_en="County C")
    category = CategoryFactory(slug="tea", name_zh="茶叶", name_en="Tea")
    ProductFactory(
        status=ProductStatus.ACTIVE,
        category=category,
        farmer__household__village__county=county,
    )
    return category


def heading_and_title(client, language, query):
    client.cookies["django_language"] = language
    response = client.get(f"/products/{query}")
    assert response.status_code == 200
    page = response.content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S)[1].strip()
    title = re.search(r"<title>(.*?)</title>", page, re.S)[1].strip()
    return heading, title


@pytest.mark.parametrize(
    ("query", "zh", "en"),
    [
        ("", "全部商品", "All products"),
        ("?category=tea", "茶叶", "Tea"),
        ("?county=520101", "C县的商品", "Products from County C"),
        ("?county=520101&category=tea", "C县的茶叶", "Tea from County C"),
        ("?category=nonsense", "全部商品", "All products"),
    ],
)
def test_the_heading_and_title_name_the_category_and_county(client, tea, query, zh, en):
    for language, expected in (("zh-hans", zh), ("en", en), ("zh-hans", zh)):
        heading, title = heading_and_title(client, language, query)
        assert heading == expected, (language, query)
        assert title.startswith(expected), (language, query, title)
