"""The public pages' cache (common.page_cache): a repeat visit by a signed-out
visitor costs no query and still carries that visitor's own working CSRF token;
an edit, or a farmer's account closed, shows at once; visitors with something of
their own on the page (signed in, a session, a message) get the kept page with
their own parts (menu, messages, shipping fee, token) rendered in, and nothing of
theirs reaches anyone else."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import ProductStatus
from catalogue.views.public import catalogue_cacheable
from common.page_cache import cached_public_page, own_part
from tests.factories import (
    AddressFactory,
    AssistantFactory,
    CategoryFactory,
    ProductFactory,
    UserFactory,
)

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


def product_reads(queries) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if "catalogue_product" in q["sql"]
    ]


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_signed_in_buyer_gets_the_kept_page_with_their_own_parts(product):
    url = f"/products/{product.pk}/"
    visit(url)  # kept by a visitor
    buyer = UserFactory(username="buyer_li")
    AddressFactory(buyer=buyer, region="北京市 北京市 东城区", division_id="110101")
    client = signed_in(buyer)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert not product_reads(queries)  # the page itself came from the cache
    assert "buyer_li" in page and f'href="{reverse("orders:home")}"' in page  # menu
    assert "北京市" in page  # the fee to their own province
    assert "\x00" not in page
    added = client.post(
        "/orders/cart/add/",
        {"product": product.pk, "quantity": 1, "csrfmiddlewaretoken": token(page)},
    )
    assert added.status_code == 302  # their own token: a wrong one is a 403
    # Their flash message, on the kept page.
    with CaptureQueriesContext(connection) as queries:
        told = client.get(url).content.decode()
    assert 'class="messages"' in told and not product_reads(queries)
    # Nothing of theirs reaches the next visitor.
    _client, anonymous, count = visit(url)
    assert count == 0
    assert "buyer_li" not in anonymous and "北京市" not in anonymous
    assert 'class="messages"' not in anonymous


def test_each_role_gets_its_own_parts_on_a_kept_page(product):
    visit("/"), visit("/products/")
    assistant = signed_in(AssistantFactory().user)
    page = assistant.get("/").content.decode()
    assert 'rel="manifest"' in page and "fieldwork-offline" in page
    join = f'href="{reverse("accounts:sign_up")}"'
    assert join not in page
    anonymous = visit("/")[1]
    assert 'rel="manifest"' not in anonymous and join in anonymous
    farmer = signed_in(product.farmer.user)
    with CaptureQueriesContext(connection) as queries:
        listing = farmer.get("/products/").content.decode()
    assert f'href="{reverse("orders:farmer_home")}"' in listing
    assert "Wild honey" in listing
    assert not product_reads(queries)


def test_a_visit_with_a_session_costs_the_same_queries_however_many_products(product):
    def cost() -> int:
        visit("/products/")  # kept by a visitor
        shopper = signed_in(UserFactory())
        with CaptureQueriesContext(connection) as queries:
            assert shopper.get("/products/").status_code == 200
        return len(queries)

    few = cost()
    for _ in range(30):
        ProductFactory(status=ProductStatus.ACTIVE)
    assert cost() == few


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


def test_a_view_that_raises_leaves_the_request_unmarked():
    """What the request renders after (the 404 page, say) carries no marks."""

    @cached_public_page(lambda: "v")
    def missing(request):
        raise Http404

    request = RequestFactory().get("/products/1/")
    request.user, request.LANGUAGE_CODE = AnonymousUser(), "en"
    with pytest.raises(Http404):
        missing(request)
    assert own_part(request, "x.html", {}, "mine") == "mine"


def test_a_product_url_with_a_query_is_not_kept(product):
    url = f"/products/{product.pk}/?from=share"
    visit(url)
    assert visit(url)[2] > 0
