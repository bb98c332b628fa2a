"""The public pages' cache (common.page_cache): a repeat visit by a signed-out
visitor costs no query and still carries that visitor's own working CSRF token;
an edit, or a farmer's account closed, shows at once; visitors with something of
their own on the page (signed in, a session, a message) get the view itself."""

import re

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from catalogue.models import ProductStatus
from catalogue.views.public import catalogue_cacheable
from tests.factories import CategoryFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    return ProductFactory(status=ProductStatus.ACTIVE, title="Wild honey", stock=50)


def visit(url: str, client: Client | None = None):
    """A GET by a new visitor (or `client`), with the queries it ran."""
    client = client or Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return client, response.content.decode(), len(queries)


def token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("url", ["/", "/products/", "/products/{pk}/"])
def test_a_repeat_visit_costs_no_query_and_its_token_works(product, url):
    url = url.format(pk=product.pk)
    _first, first_page, first_queries = visit(url)
    client, page, queries = visit(url)
    assert first_queries > 0 and queries == 0
    assert "Wild honey" in page and "\x00" not in page
    assert token(page) != token(first_page)
    switched = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": url, "csrfmiddlewaretoken": token(page)},
    )
    assert switched.status_code == 302  # a wrong token would be a 403
    # The language is part of the key: the English page is its own.
    _client, english, _queries = visit(url, client)
    assert 'lang="en"' in english and "Wild honey" in english


def test_an_edit_and_a_closed_account_show_at_once(product):
    url = f"/products/{product.pk}/"
    visit(url), visit("/products/")
    product.title = "Mountain honey"
    product.save()
    assert "Mountain honey" in visit(url)[1]
    assert "Mountain honey" in visit("/products/")[1]
    product.farmer.user.is_active = False
    product.farmer.user.save()
    assert "Mountain honey" not in visit("/products/")[1]
    assert Client().get(url).status_code == 404


def test_a_sign_in_alone_does_not_empty_the_cache(client, product):
    visit("/products/")
    client.force_login(product.farmer.user)  # saves last_login only
    assert visit("/products/")[2] == 0


def test_visitors_with_something_of_their_own_get_the_view(product):
    url = f"/products/{product.pk}/"
    visit(url), visit(url)
    buyer = Client()
    buyer.force_login(UserFactory(username="buyer_li"))
    page, queries = visit(url, buyer)[1:]
    assert "buyer_li" in page and queries > 0
    shopper = Client()
    shopper.post("/orders/cart/add/", {"product": product.pk, "quantity": 1})
    assert "sessionid" in shopper.cookies
    assert visit(url, shopper)[2] > 0
    told = Client()
    told.cookies["messages"] = "anything"
    assert visit(url, told)[2] > 0


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("", True),
        ("category=honey&sort=price&page=3", True),
        ("county={county}&poverty=on", True),
        ("page=10", True),
        ("q=honey", False),  # a search
        ("min_price=5", False),
        ("category=", False),  # the filter form's own submissions
        ("category=nope", False),
        ("poverty=yes", False),
        ("page=11", False),
        ("page=01", False),
        ("sort=price&sort=new", False),
        ("utm_source=x", False),
    ],
)
def test_only_browsing_urls_are_kept_whole(product, query, kept):
    """Made-up URLs cannot fill the page cache: only browsing as the site's own
    links do, on the first pages."""
    CategoryFactory(slug="honey")
    county = product.farmer.household.village.county.code
    request = RequestFactory().get(f"/products/?{query.format(county=county)}")
    assert catalogue_cacheable(request) is kept


def test_a_product_url_with_a_query_is_not_kept(product):
    url = f"/products/{product.pk}/?from=share"
    visit(url)
    assert visit(url)[2] > 0
