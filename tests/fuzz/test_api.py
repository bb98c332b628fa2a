"""Schemathesis fuzzing of the whole API (issue 8), in-process and as every role.

The OpenAPI document comes from /api/schema/ of config.wsgi.application; every
operation is run as an anonymous visitor, a buyer, a farmer, an assistant, an
official and staff (DRF tokens) on a small seeded world, with valid and invalid
input. The checks: no 5xx, every status code is documented, every response matches
its documented schema and content type. Examples per operation are bounded and
generation is deterministic (fixed seed, no example database on disk), so a run is
reproducible and fits CI's time. The terminal summary records how many operations
and cases ran. Below the fuzz run, one targeted test per bug it found.

(Schemathesis's `from_fixture` loader does not run on pytest 9, so the schema is
loaded once at import: /api/schema/ reads no database.)
"""

import os
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import schemathesis
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client

from accounts.models import Role
from catalogue.models import Category, ProductStatus
from config.wsgi import application
from fieldwork import services
from fieldwork.models import SkillTopic, VisitPurpose
from tests.factories import (
    SURVEY_FIGURES,
    AddressFactory,
    AssistantFactory,
    ProductFactory,
    UserFactory,
    farmer_of,
    order_pay,
    place_order,
)

ROLES = ["anonymous", *Role.values]
SEED = 20180808
# Random cases per operation and role (valid and invalid alike), on top of the
# coverage phase's deterministic boundary cases.
MAX_EXAMPLES = 10
# The coverage phase's invalid-input cases are 3 in 4 of its cases, mostly for roles
# that get a 403 before any input is read; CI runs its valid boundary cases only.
# API_FUZZ_FULL=1 runs them all (about three times as long).
FULL = os.environ.get("API_FUZZ_FULL") == "1"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {
            "mode": "all",  # valid and invalid input alike
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
            # Each role sends its own token; no generated Authorization or cookie.
            "with-security-parameters": False,
        },
        "phases": {
            "coverage": {"generation": {"mode": "all" if FULL else "positive"}},
            "stateful": {"enabled": False},
        },
    }
)

schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)

# The seeded world's values, filled in by the `world` fixture: by resource for path
# parameters ("/api/listings/": product ids), by field name for bodies and query
# strings ("household": its id). About half the random cases get them instead of
# generated values, so the fuzzer reaches real objects and the services behind
# validation, not only 404s and 400s.
SEEDED_PATHS: dict[str, list] = {}
SEEDED_FIELDS: dict[str, list] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    resource = context.operation.path.split("{")[0]
    seeds = {name: SEEDED_PATHS.get(resource, []) for name in path_parameters or {}}
    return _half_seeded(path_parameters, seeds)


@schema.hook
def flatmap_query(context, query):
    return _half_seeded(query, SEEDED_FIELDS)


@schema.hook
def flatmap_body(context, body):
    return _half_seeded(body, SEEDED_FIELDS)


def _half_seeded(values, seeds: dict[str, list]):
    """`values` as generated, or with each field that has seeds set to one of them
    (read when drawn: the world is seeded after the strategies are built)."""
    if not isinstance(values, dict) or not values:
        return st.just(values)

    def seeded(index: int) -> dict:
        chosen = {
            name: options[index % len(options)]
            for name in values
            if (options := seeds.get(name))
        }
        return {**values, **chosen}

    return st.one_of(st.just(values), st.integers(0, 15).map(seeded))


class FuzzTally:
    """What the run exercised, printed in the terminal summary for CI's log."""

    def __init__(self):
        self.operations: set[str] = set()
        self.roles: set[str] = set()
        self.cases = 0
        self.statuses: Counter[int] = Counter()
        self.failures: set[tuple[str, str]] = set()

    def pytest_terminal_summary(self, terminalreporter):
        if not self.cases:
            return
        statuses = ", ".join(f"{code}×{n}" for code, n in sorted(self.statuses.items()))
        terminalreporter.write_line(
            f"schemathesis: {len(self.operations)} operations × {len(self.roles)} "
            f"roles, {self.cases} cases, {len(self.failures)} failures "
            f"(statuses: {statuses})"
        )


@pytest.fixture(scope="session")
def fuzz_tally(pytestconfig):
    tally = FuzzTally()
    pytestconfig.pluginmanager.register(tally, "api-fuzz-tally")
    return tally


@pytest.fixture
def in_process_requests():
    """The WSGI app runs inside the test's transaction, as with Django's test
    client: without this, the end of each request would close the connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, in_process_requests):
    """An assistant's farmer with listings in several statuses, a training, a
    visit and a survey; a buyer with an address and two orders (one paid); an
    official of the county; staff; and each role's API token."""
    assistant = AssistantFactory()
    farmer = farmer_of(assistant, household__registered=True)
    products = [
        ProductFactory(farmer=farmer, status=status, submitted_at=timezone.now())
        for status in (
            ProductStatus.ACTIVE,
            ProductStatus.DRAFT,
            ProductStatus.PENDING,
            ProductStatus.ARCHIVED,
        )
    ]
    buyer = UserFactory(role=Role.BUYER)
    address = AddressFactory(buyer=buyer)
    orders = [place_order(buyer=buyer, product=products[0]) for _ in range(2)]
    order_pay(order=orders[1])
    held_on = timezone.localdate() - timedelta(days=3)
    session = services.training_record(
        assistant=assistant,
        held_on=held_on,
        hours=Decimal("2.0"),
        topics=[SkillTopic.PRICING],
        location="Village hall",
        farmers=[farmer],
    )
    visit = services.visit_record(
        assistant=assistant,
        household=farmer.household,
        visited_on=held_on,
        purpose=VisitPurpose.FOLLOW_UP,
    )
    survey = services.survey_record(
        household=farmer.household,
        year=held_on.year - 1,
        recorded_by=assistant.user,
        **SURVEY_FIGURES,
    )
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(assistant.county)
    staff = UserFactory(role=Role.STAFF)

    product_ids = [product.pk for product in products]
    household = farmer.household
    categories = list(Category.objects.values_list("slug", flat=True))
    SEEDED_PATHS.clear()
    SEEDED_PATHS.update(
        {
            "/api/listings/": product_ids,
            "/api/catalogue/products/": product_ids,
            "/api/cart/": product_ids,
            "/api/orders/": [order.pk for order in orders],
            "/api/addresses/": [address.pk],
            "/api/farmers/": [farmer.pk],
            "/api/households/": [household.pk],
            "/api/assignments/": list(farmer.assignments.values_list("pk", flat=True)),
            "/api/training-sessions/": [session.pk],
            "/api/visits/": [visit.pk],
            "/api/surveys/": [survey.pk],
            "/api/catalogue/categories/": categories,
            "/api/catalogue/storefronts/": [farmer.slug],
        }
    )
    county = assistant.county
    SEEDED_FIELDS.clear()
    SEEDED_FIELDS.update(
        {
            "product": product_ids,
            "address": [address.pk],
            "household": [household.pk],
            "farmer": [farmer.pk],
            "farmers": [[farmer.pk]],
            "assistant": [assistant.pk],
            "category": categories,
            "storefront": [farmer.slug],
            # County filters take its id, reports its code.
            "county": [county.pk, county.code],
            "village": [household.village_id],
            "year": [survey.year, survey.year + 1],
            "base_year": [survey.year - 1],
        }
    )
    users = {
        Role.BUYER: buyer,
        Role.FARMER: farmer.user,
        Role.ASSISTANT: assistant.user,
        Role.OFFICIAL: official,
        Role.STAFF: staff,
    }
    tokens = {role: Token.objects.create(user=user).key for role, user in users.items()}
    return SimpleNamespace(
        tokens=tokens, orders=orders, products=products, address=address
    )


def _headers(world, role: str) -> dict:
    if role == "anonymous":
        return {}
    return {"Authorization": f"Token {world.tokens[role]}"}


def _fresh_limits():
    """Throttles count in the cache and sign-in lockouts in the database: each case
    starts with neither, so a 429 is never an artefact of the run's own volume."""
    cache.clear()
    AccessAttempt.objects.all().delete()


@schema.parametrize()
@pytest.mark.parametrize("role", ROLES)
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    # The seeded world is shared by a test's cases on purpose.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_every_operation_as_every_role(case, role, world, fuzz_tally):
    label = case.operation.label
    fuzz_tally.operations.add(label)
    fuzz_tally.roles.add(role)
    fuzz_tally.cases += 1
    _fresh_limits()
    try:
        response = case.call_and_validate(headers=_headers(world, role), checks=CHECKS)
    except (Exception, FailureGroup):
        fuzz_tally.failures.add((role, label))
        raise
    fuzz_tally.statuses[response.status_code] += 1


# --- What the fuzz run found, one test each ---------------------------------------


def _call(world, role: str, path: str, method: str, **case):
    """One request through the schema, validated by the fuzz run's checks."""
    _fresh_limits()
    operation = schema[path][method]
    return operation.Case(**case).call_and_validate(
        headers=_headers(world, role), checks=CHECKS
    )


def test_the_cart_is_documented_as_one_cart_not_a_list(world):
    response = _call(world, Role.BUYER, "/api/cart/", "GET")
    assert response.status_code == 200
    assert set(response.json()) >= {"groups", "total", "blocked", "quote"}


def test_an_order_event_of_the_platform_has_no_actor_and_matches_the_schema(world):
    paid = world.orders[1]
    response = _call(
        world, Role.BUYER, "/api/orders/{id}/", "GET", path_parameters={"id": paid.pk}
    )
    assert response.status_code == 200
    assert None in [event["actor"] for event in response.json()["events"]]


def test_checkout_with_someone_elses_address_is_a_documented_404(world):
    stranger = AddressFactory()
    body = {
        "address": stranger.pk,
        "provider": "simulated",
        "idempotency_key": "3b2a9c3e-2f7a-4d4e-9d8e-0c6a5a0b1e11",
        "quote": "",
    }
    response = _call(
        world,
        Role.BUYER,
        "/api/checkouts/",
        "POST",
        body=body,
        media_type="application/json",
    )
    assert response.status_code == 404


def test_an_order_action_its_status_refuses_is_a_documented_409(world):
    order = world.orders[0]
    cancel = {
        "path_parameters": {"id": order.pk},
        "body": {},
        "media_type": "application/json",
    }
    first = _call(world, Role.BUYER, "/api/orders/{id}/cancel/", "POST", **cancel)
    again = _call(world, Role.BUYER, "/api/orders/{id}/cancel/", "POST", **cancel)
    assert (first.status_code, again.status_code) == (200, 409)


def test_a_body_without_a_content_type_is_a_documented_415(world):
    operation = schema["/api/cart/{product}/"]["PATCH"]
    path = f"/api/cart/{world.products[0].pk}/"
    _fresh_limits()
    response = Client(application).patch(
        path, data=b"quantity=2", headers=_headers(world, Role.BUYER)
    )
    assert response.status_code == 415
    operation.Case(path_parameters={"product": world.products[0].pk}).validate_response(
        response, checks=CHECKS
    )


@pytest.mark.parametrize("product", ["9" * 19, "-1", "1.5", "\x84"])
def test_an_id_the_url_patterns_refuse_is_a_documented_json_404(world, product):
    response = _call(
        world,
        Role.STAFF,
        "/api/catalogue/products/{id}/",
        "GET",
        path_parameters={"id": product},
    )
    assert response.status_code == 404
    assert list(response.json()) == ["detail"]  # DRF's body, not the HTML page


def test_a_throttled_or_locked_out_sign_in_is_a_documented_429(world):
    operation = schema["/api/token/"]["POST"]
    wrong = {"username": "nobody", "password": "wrong-password-1"}
    _fresh_limits()
    statuses = []
    for _ in range(12):  # past both the lockout (5) and the rate (10 a minute)
        case = operation.Case(body=wrong, media_type="application/json")
        response = case.call_and_validate(checks=CHECKS)
        statuses.append(response.status_code)
    assert statuses[0] == 400 and statuses[-1] == 429


def test_an_unknown_page_outside_the_api_is_still_the_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
