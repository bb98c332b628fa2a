"""The catalogue API's lists (the public products and storefronts, an assistant's
listings) cost a constant number of queries: as many for 100 listings as for 5,
under a fixed bound, every row really in the response."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalogue.models import Category, ProductImage, ProductStatus
from catalogue.selectors import products_visible_to, public_products
from tests.catalogue.endpoints import LISTINGS, PRODUCTS, STOREFRONTS, results
from tests.factories import AssistantFactory, FarmerFactory, ProductFactory, farmer_of

pytestmark = pytest.mark.django_db
S = ProductStatus


@pytest.fixture
def client():
    """Messages in English, so the tests can read them."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


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
