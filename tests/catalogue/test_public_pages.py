"""What the public sees: only active products of active farmers, the product,
storefront and county pages' content, text shown as text, and a poverty-alleviation
mark that reveals nothing else about the household."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from catalogue.models import ProductImage, ProductStatus, ProductUnit
from farmers.models import PovertyCause
from tests.factories import (
    CountyFactory,
    FarmerFactory,
    ProductFactory,
    UserFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db
S = ProductStatus
HIDDEN = [S.DRAFT, S.PENDING, S.REJECTED, S.ARCHIVED]


@pytest.fixture
def english(client, settings):
    """A visitor who chose English: UI text is compared in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def active(**kwargs):
    return ProductFactory(status=S.ACTIVE, **kwargs)


def hidden(status, **kwargs):
    reason = "Blurry photo" if status == S.REJECTED else ""
    return ProductFactory(status=status, rejection_reason=reason, **kwargs)


def listed(response) -> set[int]:
    """The ids of the products a list page shows (read from the page: a repeat
    visit may be served from the page cache, with no template context)."""
    cards = re.findall(
        r'<li class="product-card">\s*<a href="/products/(\d+)/"',
        response.content.decode(),
    )
    return {int(pk) for pk in cards}


def list_pages(product) -> list[str]:
    farmer = product.farmer
    return [
        "/",
        "/products/",
        f"/shop/{farmer.slug}/",
        f"/counties/{farmer.household.village.county.code}/",
    ]


@pytest.mark.parametrize("status", HIDDEN)
def test_a_product_that_is_not_active_is_nowhere_public(client, status):
    shown = active()
    product = hidden(status, farmer=shown.farmer)
    for url in list_pages(product):
        response = client.get(url)
        assert response.status_code == 200, url
        assert shown.pk in listed(response), url
        assert product.pk not in listed(response), url
        assert product.title.encode() not in response.content, url
    assert client.get(f"/products/{product.pk}/").status_code == 404


@pytest.mark.parametrize("status", HIDDEN)
def test_a_farmer_with_no_active_product_has_no_storefront(client, status):
    product = hidden(status)
    assert client.get(f"/shop/{product.farmer.slug}/").status_code == 404
    county = client.get(f"/counties/{product.farmer.household.village.county.code}/")
    assert county.status_code == 200
    assert list(county.context["shops"]["page_obj"]) == []


def test_an_inactive_farmers_products_are_not_public(client):
    product = active(farmer__user__is_active=False)
    other = active()
    for url in list_pages(product):
        response = client.get(url)
        if url.startswith("/shop/"):
            assert response.status_code == 404
            continue
        assert product.pk not in listed(response), url
    assert other.pk in listed(client.get("/products/"))
    assert client.get(f"/products/{product.pk}/").status_code == 404
    county = client.get(f"/counties/{product.farmer.household.village.county.code}/")
    assert list(county.context["shops"]["page_obj"]) == []


@pytest.mark.parametrize(
    "url",
    [
        "/products/999999999999999999/",
        "/products/9999999999999999999999999/",
        "/products/abc/",
        "/products/-1/",
        "/shop/nobody/",
        "/shop/%E8%9C%82/",
        "/counties/999999/",
        "/counties/12345/",
        "/counties/1234567/",
        "/counties/abcdef/",
    ],
)
def test_unknown_products_shops_and_counties_are_404(client, url):
    active()
    assert client.get(url).status_code == 404


def test_the_product_page_shows_price_stock_storefront_and_origin(english):
    county = CountyFactory(name="Leishan")
    farmer = FarmerFactory(
        household__village=VillageFactory(county=county, name="Upper Lang"),
        shop_name="Granny Wu's Tea",
        verified_at=datetime(2020, 5, 1, tzinfo=UTC),
        verified_by=UserFactory(),
    )
    product = active(
        farmer=farmer,
        title="Spring green tea",
        price=Decimal("128.50"),
        unit=ProductUnit.BOX,
        net_weight_kg=Decimal("0.25"),
        stock=3,
    )
    ProductImage.objects.create(product=product, image="products/b.jpg", position=1)
    ProductImage.objects.create(
        product=product, image="products/a.jpg", detail="products/a-d.webp"
    )
    response = english.get(f"/products/{product.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Spring green tea" in page
    assert "¥128.50" in page
    assert "/ box" in page
    assert "0.25" in page
    assert "Low stock" in page
    assert f'href="/shop/{farmer.slug}/"' in page
    assert "Granny Wu&#x27;s Tea" in page
    assert "Farm verified" in page
    assert "Upper Lang" in page
    assert f'href="/counties/{county.code}/"' in page
    # The detail rendition when it exists, else the original; lazily loaded, in order.
    first, second = page.index("products/a-d.webp"), page.index("products/b.jpg")
    assert first < second
    assert page.count(' width="640" height="640"') == 2  # both photos
    assert page.count('loading="lazy"') == 1  # the first shows at once


@pytest.mark.parametrize(
    ("stock", "state"), [(0, "Out of stock"), (5, "Low stock"), (6, "In stock")]
)
def test_the_stock_state(english, stock, state):
    product = active(stock=stock)
    page = english.get(f"/products/{product.pk}/").content.decode()
    assert state in page


def test_an_unverified_farm_has_no_badge(english):
    product = active()
    for url in (f"/products/{product.pk}/", f"/shop/{product.farmer.slug}/"):
        assert "Farm verified" not in english.get(url).content.decode()


def test_the_storefront_shows_story_village_county_and_products(english):
    farmer = FarmerFactory(
        story="Three generations of beekeepers.",
        household__village=VillageFactory(name="Xijiang"),
        verified_at=datetime(2020, 5, 1, tzinfo=UTC),
        verified_by=UserFactory(),
    )
    mine = [active(farmer=farmer) for _ in range(3)]
    theirs = active()
    response = english.get(f"/shop/{farmer.slug}/")
    page = response.content.decode()
    assert "Three generations of beekeepers." in page
    assert "Xijiang" in page
    assert farmer.household.village.county.name in page
    assert "Farm verified" in page
    assert listed(response) == {p.pk for p in mine}
    assert theirs.title not in page


def test_the_storefront_pages_its_products(client):
    farmer = FarmerFactory()
    products = [active(farmer=farmer) for _ in range(30)]
    first = client.get(f"/shop/{farmer.slug}/")
    second = client.get(f"/shop/{farmer.slug}/", {"page": 2})
    assert len(listed(first)) == 24
    assert len(listed(second)) == 6
    assert listed(first) | listed(second) == {p.pk for p in products}


def test_the_county_page_lists_its_storefronts_and_products(client):
    county = CountyFactory(name="Congjiang")
    here = [
        active(farmer__household__village=VillageFactory(county=county))
        for _ in range(3)
    ]
    # A second product of the same farmer: the storefront is listed once.
    here.append(active(farmer=here[0].farmer))
    elsewhere = active()
    response = client.get(f"/counties/{county.code}/")
    assert response.status_code == 200
    assert "Congjiang" in response.content.decode()
    assert listed(response) == {p.pk for p in here}
    assert [f.pk for f in response.context["shops"]["page_obj"]] == sorted(
        {p.farmer.pk for p in here},
        key=lambda pk: next(p.farmer.shop_name for p in here if p.farmer.pk == pk),
    )
    assert elsewhere.farmer.shop_name not in response.content.decode()


def test_a_county_without_products_has_an_empty_page(client):
    county = CountyFactory()
    response = client.get(f"/counties/{county.code}/")
    assert response.status_code == 200
    assert list(response.context["shops"]["page_obj"]) == []
    assert listed(response) == set()


def test_the_home_page_shows_categories_new_products_and_counties(client):
    products = [active() for _ in range(14)]
    newest = {p.pk for p in products[-12:]}
    response = client.get("/")
    page = response.content.decode()
    assert listed(response) == newest
    assert "/products/?category=honey" in page
    for product in products[-12:]:
        county = product.farmer.household.village.county
        assert f'href="/counties/{county.code}/"' in page
    # The hero and the sign-up and sign-in buttons stay.
    assert f'class="button" href="{reverse("accounts:sign_up")}"' in page
    assert f'href="{reverse("accounts:login")}"' in page


def test_the_public_pages_need_no_sign_in_and_refuse_posts(client):
    product = active()
    urls = [*list_pages(product), f"/products/{product.pk}/"]
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert client.post(url).status_code == 405, url


SCRIPT = "<script>alert(1)</script>"


def test_html_in_titles_descriptions_and_stories_is_shown_as_text(client):
    farmer = FarmerFactory(shop_name=f"Shop {SCRIPT}", story=f"Story {SCRIPT}")
    product = active(farmer=farmer, title=f"Tea {SCRIPT}", description=f"{SCRIPT}\nok")
    code = farmer.household.village.county.code
    urls = [
        "/",
        "/products/",
        f"/products/?q={SCRIPT}",
        f"/products/{product.pk}/",
        f"/shop/{farmer.slug}/",
        f"/counties/{code}/",
    ]
    for url in urls:
        page = client.get(url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
        assert "<script>alert" not in page, url


def test_the_poverty_alleviation_mark_reveals_nothing_else(english):
    farmer = FarmerFactory(
        household__registered=True,
        household__head_name="Head Zhang Sanfeng",
        household__members=7,
        household__poverty_causes=[PovertyCause.ILLNESS, PovertyCause.DISABILITY],
        household__support_measures="Bee boxes from the county fund",
    )
    household = farmer.household
    marked = active(farmer=farmer)
    plain = active()
    urls = [f"/products/{marked.pk}/", *list_pages(marked), "/products/?poverty=on"]
    assert "Poverty-alleviation product" not in page_text(
        english, f"/products/{plain.pk}/"
    )
    chinese = Client()  # the default language, zh-hans
    for url in urls:
        page = page_text(english, url)
        assert "Poverty-alleviation product" in page, url
        pages = [page, page_text(chinese, url)]
        for text in pages:
            assert household.registration_number not in text, url
            assert "Head Zhang Sanfeng" not in text, url
            assert "Bee boxes" not in text, url
        for language, text in zip(["en", "zh-hans"], pages, strict=True):
            with override(language):
                causes = [str(c) for c in household.get_poverty_causes_display()]
            for cause in [*causes, *household.poverty_causes]:
                assert cause not in text, (url, cause)


def test_an_exited_household_carries_no_mark(english):
    product = active(
        farmer__household__status="exited",
        farmer__household__registration_number="R-EXIT-1",
        farmer__household__registration_year=2015,
        farmer__household__exited_on=datetime(2019, 1, 1).date(),
    )
    page = english.get(f"/products/{product.pk}/").content.decode()
    assert "Poverty-alleviation product" not in page
    assert "R-EXIT-1" not in page


def test_the_first_row_of_product_photos_loads_at_once_and_the_rest_lazily(client):
    """The first row (up to four cards: the widest grid) is the largest paint; the
    first photo is fetched first. Every other card's photo waits for scrolling."""
    products = ProductFactory.create_batch(7, status=ProductStatus.ACTIVE)
    for product in products:
        ProductImage.objects.create(product=product, image=f"products/{product.pk}.jpg")
    for url in ("/products/", f"/shop/{products[0].farmer.slug}/"):
        body = client.get(url).content.decode()
        grid = body.split('<ul class="product-grid">', 1)[1].split("</ul>", 1)[0]
        images = re.findall(r"<img [^>]*>", grid)
        assert len(images) == (7 if url == "/products/" else 1)
        assert ['loading="eager"' in tag for tag in images[:4]] == [True] * len(
            images[:4]
        )
        assert all('loading="lazy"' in tag for tag in images[4:])
        assert ['fetchpriority="high"' in tag for tag in images] == [True] + [False] * (
            len(images) - 1
        )
