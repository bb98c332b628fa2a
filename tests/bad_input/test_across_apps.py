"""The bad-input catalogue as a whole, across the apps' modules: wide enough, with
unique names; and markup typed where it is allowed is kept as typed and shown as
text on every app's pages."""

import pytest
from django.test import Client

from tests.bad_input.cases import LISTING_NEW, SCRIPT, STOREFRONT, VISIT, every_case

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_wide():
    """At least 40 cases across forms and the API (issue 8), with unique names."""
    catalogue = every_case()
    names = [case.name for case in catalogue]
    assert len(set(names)) == len(names)
    assert sum(not c.api for c in catalogue) >= 40
    assert sum(c.api for c in catalogue) >= 20


# --- Valid input that looks like markup ---------------------------------------------


def test_accepted_html_is_stored_as_typed_and_shown_as_text(world):
    """A title, a story or visit notes may contain "<script>": they are kept as
    typed and every page shows them as text."""
    farmer, assistant = (Client(HTTP_ACCEPT_LANGUAGE="en") for _ in range(2))
    farmer.force_login(world.users["farmer"])
    assistant.force_login(world.users["assistant"])
    listing = {**world.payloads["listing"], "title": f"Tea {SCRIPT}"}
    created = farmer.post(LISTING_NEW, listing)
    storefront = {**world.payloads["storefront"], "story": f"Story {SCRIPT}"}
    visit = {**world.payloads["visit"], "challenges": f"Rain {SCRIPT}"}
    assert created.status_code == 302
    assert farmer.post(STOREFRONT, storefront).status_code == 302
    assert assistant.post(VISIT.format(**world.ids), visit).status_code == 302

    product_id = int(created["Location"].strip("/").split("/")[-1])
    api = farmer.get(f"/api/listings/{product_id}/").json()
    assert api["title"] == f"Tea {SCRIPT}"  # kept as typed (JSON is not HTML)
    slug = farmer.get("/api/listings/").json()["results"][0]["storefront"]
    pages = [
        (farmer, created["Location"]),
        (farmer, STOREFRONT),
        (Client(), f"/shop/{slug}/"),
        (assistant, "/assistant/farmers/{farmer}/".format(**world.ids)),
    ]
    for client, url in pages:
        content = client.get(url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content, url
        assert SCRIPT not in content, url
