"""Every page's head: a favicon our own server answers (no 404 in every page's
log) and a meta description in the reader's language, which a page may replace."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from catalogue.models import ProductStatus
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')


def test_favicon_ico_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_pages_link_the_svg_favicon_and_it_is_served(client):
    body = client.get("/").content.decode()
    href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', body)
    assert href and href[1] == "/static/favicon.svg"
    # Static files are collected (and served by whitenoise) from the finders' files.
    assert "<svg" in Path(finders.find("favicon.svg")).read_text()


@pytest.mark.parametrize("url", ["/", "/products/", "/accounts/login/"])
def test_pages_have_a_translated_meta_description(client, url):
    zh = DESCRIPTION.findall(
        client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    )
    en = DESCRIPTION.findall(
        client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert len(zh) == 1 and len(en) == 1
    assert re.search(r"[\u4e00-\u9fff]", zh[0]) and not re.search(
        r"[\u4e00-\u9fff]", en[0]
    )


def test_a_product_page_describes_the_product(client):
    product = ProductFactory(
        status=ProductStatus.ACTIVE, description="野生百花蜜，山里采的"
    )
    body = client.get(f"/products/{product.pk}/").content.decode()
    assert DESCRIPTION.findall(body) == ["野生百花蜜，山里采的"]
