"""Every URL the project serves is in one table of what an anonymous visitor gets,
so nothing can be added unprotected: a new URL pattern that is not in the table
fails this test until someone decides who may use it. (The first step of the
role matrix: here, anonymous visitors and every method the URL answers.)"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PUBLIC = "public"  # anyone: 200 (or 404 for an object that does not exist)
SIGN_IN = "sign-in"  # pages: sent to sign in
API_AUTH = "api-auth"  # API: 401 or 403
STAFF_ADMIN = "admin"  # Django's admin: sent to its own sign-in
SIGNED = "signed"  # a gateway webhook: no session, a signature (400 without one)

# URL name → (what an anonymous visitor gets, methods to try).
ACCESS = {
    "home": (PUBLIC, "GET"),
    "catalogue": (PUBLIC, "GET"),
    "product": (PUBLIC, "GET"),
    "storefront": (PUBLIC, "GET"),
    "county": (PUBLIC, "GET"),
    "healthz": (PUBLIC, "GET"),
    "set_language": (PUBLIC, "POST"),
    "accounts:login": (PUBLIC, "GET"),
    "accounts:logout": (PUBLIC, "POST"),
    "accounts:password_change": (SIGN_IN, "GET POST"),
    "accounts:password_change_done": (SIGN_IN, "GET"),
    "accounts:sign_up": (PUBLIC, "GET"),
    "accounts:set_password": (PUBLIC, "GET"),
    "accounts:set_password_done": (PUBLIC, "GET"),
    "accounts:home": (SIGN_IN, "GET"),
    "farmers:home": (SIGN_IN, "GET"),
    "farmers:storefront": (SIGN_IN, "GET POST"),
    "farmers:listings": (SIGN_IN, "GET"),
    "farmers:listing_new": (SIGN_IN, "GET POST"),
    "farmers:listing": (SIGN_IN, "GET POST"),
    "farmers:listing_quick": (SIGN_IN, "POST"),
    "farmers:listing_photo_add": (SIGN_IN, "POST"),
    "farmers:listing_photo_change": (SIGN_IN, "POST"),
    "farmers:listing_action": (SIGN_IN, "POST"),
    "farmers:register_import": (SIGN_IN, "GET POST"),
    "farmers:register_import_preview": (SIGN_IN, "GET POST"),
    "assistants:home": (SIGN_IN, "GET"),
    "assistants:farmer_list": (SIGN_IN, "GET"),
    "assistants:farmer_new": (SIGN_IN, "GET POST"),
    "assistants:farmer_detail": (SIGN_IN, "GET"),
    "assistants:farmer_link": (SIGN_IN, "GET POST"),
    "assistants:farmer_verify": (SIGN_IN, "POST"),
    "assistants:household_exit": (SIGN_IN, "POST"),
    "assistants:visit_new": (SIGN_IN, "GET POST"),
    "assistants:survey_new": (SIGN_IN, "GET POST"),
    "assistants:survey_edit": (SIGN_IN, "GET POST"),
    "assistants:training_list": (SIGN_IN, "GET"),
    "assistants:training_new": (SIGN_IN, "GET POST"),
    "assistants:assignment_list": (SIGN_IN, "GET POST"),
    "assistants:on_behalf": (SIGN_IN, "GET"),
    "assistants:reviews": (SIGN_IN, "GET"),
    "assistants:review_decide": (SIGN_IN, "POST"),
    "orders:home": (SIGN_IN, "GET"),
    "orders:cart": (PUBLIC, "GET"),
    "orders:cart_add": (PUBLIC, "POST"),
    "orders:cart_update": (PUBLIC, "POST"),
    "orders:checkout": (SIGN_IN, "GET POST"),
    "orders:checkout_done": (SIGN_IN, "GET"),
    "orders:pay": (SIGN_IN, "POST"),
    "orders:gateway": (SIGN_IN, "GET POST"),
    "orders:webhook": (SIGNED, "POST"),
    "orders:to_ship": (SIGN_IN, "GET"),
    "orders:farmers_orders": (SIGN_IN, "GET"),
    "orders:detail": (SIGN_IN, "GET"),
    "orders:ship": (SIGN_IN, "POST"),
    "orders:packing_slip": (SIGN_IN, "GET"),
    "orders:act": (SIGN_IN, "POST"),
    "notifications:inbox": (SIGN_IN, "GET"),
    "notifications:mark_all_read": (SIGN_IN, "POST"),
    "reports:home": (SIGN_IN, "GET"),
    "reports:county_sales": (SIGN_IN, "GET"),
    "reports:income_impact": (SIGN_IN, "GET"),
    "reports:targeting_quality": (SIGN_IN, "GET"),
    "reports:assistant_performance": (SIGN_IN, "GET"),
    "reports:training_effect": (SIGN_IN, "GET"),
    "reports:export_new": (SIGN_IN, "POST"),
    "reports:export": (SIGN_IN, "GET"),
    "reports:export_download": (SIGN_IN, "GET"),
    "catalogue-category-list": (PUBLIC, "GET"),
    "catalogue-category-detail": (PUBLIC, "GET"),
    "catalogue-product-list": (PUBLIC, "GET"),
    "catalogue-product-detail": (PUBLIC, "GET"),
    "storefront-list": (PUBLIC, "GET"),
    "storefront-detail": (PUBLIC, "GET"),
    "api-token": (PUBLIC, "POST"),
    "api-schema": (PUBLIC, "GET"),
    "api-docs": (PUBLIC, "GET"),
}
# Every other API route (the router's and the reports') needs a signed-in user.
API_PREFIX = re.compile(r"^api/")
SAMPLE = {
    "pk": "1",
    "photo_pk": "1",
    "product_id": "1",
    "slug": "x",
    "code": "420000",
    "change": "up",
    "action": "cancel",
    "decision": "approve",
    "uidb64": "MQ",
    "token": "x-y",
    "reference": "00000000-0000-0000-0000-000000000000",
    "provider": "simulated",
    "product": "1",
}


def routes():
    """(name, route) for every named URL outside the admin and static media."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (
                    f"{pattern.namespace}:" if pattern.namespace else ""
                )
                yield from walk(
                    pattern.url_patterns, prefix + str(pattern.pattern), inner
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield namespace + pattern.name, prefix + str(pattern.pattern)

    return [
        (name, route)
        for name, route in walk(get_resolver().url_patterns)
        if not name.startswith("admin:")
    ]


def concrete(route: str) -> str:
    """A URL for `route` with sample values in its parameters."""
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLE[m.group(1)], route)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE[m.group(1)], url)
    return "/" + url.replace("^", "").replace("$", "")


def expectation(name: str, route: str):
    if name in ACCESS:
        return ACCESS[name]
    if API_PREFIX.match(route):
        return (API_AUTH, "GET POST")
    return None


def test_every_url_is_in_the_table():
    missing = [name for name, route in routes() if expectation(name, route) is None]
    assert missing == [], f"decide who may use these, in ACCESS: {missing}"


@pytest.mark.parametrize(("name", "route"), routes())
def test_anonymous_visitors_get_what_the_table_says(client, name, route):
    kind, methods = expectation(name, route)
    url = concrete(route)
    for method in methods.split():
        response = getattr(client, method.lower())(url)
        code = response.status_code
        assert code < 500, (name, method, code)
        if kind == SIGN_IN:
            assert code in (302, 403, 405), (name, method, code)
            if code == 302:  # to sign in (checkout offers signing up instead)
                assert response["Location"].startswith(
                    ("/accounts/login/", "/accounts/sign-up/")
                ), (name, method)
        elif kind == API_AUTH:
            assert code in (401, 403), (name, method, code)
        elif kind == SIGNED:
            assert code in (400, 404), (name, method, code)
        else:  # public: answered, never sent to sign in
            assert code in (200, 302, 400, 404, 405), (name, method, code)
            if code == 302:
                assert not response["Location"].startswith("/accounts/login/"), name
