"""Security headers on every kind of page, and a Content-Security-Policy that no
template needs to break: no inline script anywhere, scripts only from our origin."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db
TEMPLATES = Path(settings.BASE_DIR, "templates")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
PAGES = ["/", "/products/", "/accounts/login/", "/accounts/sign-up/", "/api/docs/"]


def directives(header: str) -> dict[str, set[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: set(values) for name, *values in parts}


@pytest.mark.parametrize("url", PAGES)
def test_pages_carry_the_security_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == {"'self'"}
    assert policy["object-src"] == {"'none'"}
    assert policy["frame-ancestors"] == {"'none'"}
    assert policy["base-uri"] == {"'self'"}
    assert policy["form-action"] == {"'self'"}
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("url", PAGES)
def test_rendered_pages_have_no_inline_script(client, url):
    body = client.get(url).content.decode()
    assert INLINE_SCRIPT.findall(body) == []
    assert INLINE_HANDLER.findall(re.sub(r">[^<]*<", "><", body)) == []


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(
            re.sub(r">[^<]*<", "><", text)
        ):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


def test_the_checker_catches_inline_script():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/page.js" defer>')
    assert INLINE_HANDLER.search('<button onclick="x()">')


def test_api_responses_carry_nosniff(client):
    response = client.get("/api/catalogue/products/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url", PAGES)
def test_images_may_be_blob_urls_and_nothing_else_may(client, url):
    """The listing form previews a chosen photo from a blob: URL; only img-src
    allows it (a blob: script or frame would be code we did not serve)."""
    policy = directives(client.get(url)["Content-Security-Policy"])
    assert policy["img-src"] == {"'self'", "data:", "blob:"}
    others = {name for name, values in policy.items() if "blob:" in values}
    assert others == {"img-src"}
