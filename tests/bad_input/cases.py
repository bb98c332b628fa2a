"""The bad-input catalogue's machinery (issue 8): the case type, the messages and
crafted files the cases share, and how a case is run and judged.

Every form and API write is fed what a careless or hostile user sends (oversized and
unicode-heavy text, null bytes, HTML and script, huge, negative and not-a-number
amounts, malformed dates, crafted images and spreadsheets, a missing or wrong CSRF
token, an oversized body). The cases live with their app (test_accounts.py,
test_farmers.py, ...: a `CASES` list each); the world they run in is conftest.py's.

Each case names who posts, where, what, and the message they must be shown. It
passes when the answer has that message with the expected status (never a 500),
any HTML in the payload is not echoed unescaped, the database (every table's rows)
and the upload folders are exactly as they were, and no query carried a NUL byte
(SQLite takes one, PostgreSQL refuses it: a 500 there). Each form's valid payload
is also sent once and must be saved, so a case fails only for its one bad value.

Everyone here browses in English (Accept-Language: en), so messages are asserted
in English; translation is tests/project/test_translations.py's business.
"""

import html
import importlib
import json
import pkgutil
from dataclasses import dataclass, replace
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.catalogue.test_product_images import photo

MB = 1024 * 1024
PASSWORD = "correct-horse-battery-9"
NEW_PASSWORD = "plum-blossom-river-42"
LAST_YEAR = timezone.localdate().year - 1
SCRIPT = "<script>alert(1)</script>"
# Unicode that looks harmless and is not: right-to-left override, zero-width
# space, combining marks stacked on one letter ("Zalgo"), multi-code-point emoji.
RLO, ZWSP = "\u202e", "\u200b"
ZALGO = "Z" + "\u0301\u0316\u0334" * 30  # 91 code points, one visible letter
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji, 5 code points


# --- Messages, as Django, DRF and this project word them ----------------------------


def too_long(limit: int, length: int) -> str:
    return f"Ensure this value has at most {limit} characters (it has {length})."


def api_too_long(limit: int) -> str:
    return f"Ensure this field has no more than {limit} characters."


NUL = "Null characters are not allowed."
NOT_A_NUMBER = "Enter a number."
NOT_A_WHOLE_NUMBER = "Enter a whole number."
NOT_A_DATE = "Enter a valid date."
API_NOT_A_NUMBER = "A valid number is required."
API_NOT_AN_INTEGER = "A valid integer is required."
API_NOT_A_DATE = "Date has wrong format."
NOT_A_PHOTO = "This file is not a photo we can read."
TOO_MANY_PIXELS = "The photo has too many pixels (at most 30 megapixels)."
OVER_5_MB = "The photo is larger than 5 MB. Please choose a smaller one."
NOT_JPEG_PNG_WEBP = "Please upload a JPEG, PNG or WebP photo."
BAD_USERNAME = "Enter a valid username."
BAD_SLUG = "Enter a valid “slug” consisting of letters, numbers, underscores"
BAD_CHOICE = "Select a valid choice."
BAD_MOBILE = "Enter an 11-digit mainland mobile number, e.g. 13812345678."
BAD_PHONE = "Enter a phone number: digits, spaces or hyphens."
BAD_TRACKING = "tracking number: check it against the label"
CSRF_PAGE = "CSRF verification failed. Request aborted."
TOO_BIG = "This upload is too large (at most 8 MB)."
UNREADABLE = "What was sent is too large or malformed, so nothing was saved."


# --- Crafted files the cases of several apps send -----------------------------------


def good_photo():
    return photo(size=(64, 48))


def html_as_jpg():
    return SimpleUploadedFile("honey.jpg", f"<html>{SCRIPT}</html>".encode())


def svg_with_script():
    svg = f'<svg xmlns="http://www.w3.org/2000/svg">{SCRIPT}</svg>'
    return SimpleUploadedFile("honey.svg", svg.encode(), "image/svg+xml")


def jpeg_over_5_mb():
    return SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (5 * MB))


# --- The world every case runs in (built by conftest.py's `world`) ------------------


@dataclass
class World:
    users: dict  # who: the user posting (None: an anonymous visitor)
    ids: dict  # what URLs name: {product}, {order}, ...
    payloads: dict  # form: a valid payload (a callable value is made per request)


# --- A case -------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """`who` posts `changes` on top of the valid payload of `form` to `url` and
    must be shown `expect`, with `status`."""

    name: str
    who: str
    url: str
    form: str
    changes: dict
    expect: str
    status: int = 200
    method: str = "post"
    api: bool = False
    csrf: str | None = None  # "missing" or "wrong": a browser without the token
    raw: str | None = None  # an API body sent as it is, instead of `changes`

    def __str__(self):
        return self.name


def page(name, who, url, form, changes, expect, status=200, **kw) -> Case:
    return Case(name, who, url, form, changes, expect, status, **kw)


def api(name, who, method, url, form, changes, expect, status=400, **kw) -> Case:
    return Case(name, who, url, form, changes, expect, status, method, api=True, **kw)


# Where the cases post ({…}: the world's ids).
SIGN_UP, PASSWORD_PAGE = "/accounts/sign-up/", "/accounts/password/"
STOREFRONT, LISTING_NEW = "/farmer/storefront/", "/listings/new/"
LISTING, QUICK = "/listings/{product}/", "/listings/{product}/quick/"
PHOTOS, IMPORT = "/listings/{product}/photos/", "/households/import/"
ONBOARD, VISIT = "/assistant/farmers/new/", "/assistant/farmers/{farmer}/visit/"
SURVEY_NEW, SURVEY_EDIT = (
    "/assistant/farmers/{farmer}/survey/",
    "/assistant/surveys/{survey}/",
)
TRAINING, ASSIGN = "/assistant/training/new/", "/assistant/assignments/"
CHECKOUT, CART_ADD = "/orders/checkout/", "/orders/cart/add/"
CART_LINE, SHIP = "/orders/cart/{product}/", "/orders/{order}/ship/"
CANCEL, EXPORT = "/orders/{order}/cancel/", "/reports/exports/"
EXIT = "/assistant/farmers/{farmer}/exit-register/"
REJECT = "/assistant/reviews/{pending}/reject/"


# --- Running a case -----------------------------------------------------------------


def database_state() -> dict:
    """Every row of every table (auto-created many-to-many tables too)."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in tables and not model._meta.proxy
    }


def stored_files() -> set[str]:
    return {
        str(path)
        for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
        for path in Path(root).rglob("*")
    }


class NulWatch:
    """Collects the queries sent with a NUL in a parameter. SQLite takes them;
    PostgreSQL refuses them (psycopg's DataError), so each would be a 500 there."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        rows = params if many else [params]
        for values in rows or []:
            items = values.values() if isinstance(values, dict) else values or []
            if any(isinstance(v, str) and "\x00" in v for v in items):
                self.queries.append(sql)
        return execute(sql, params, many, context)


def payload(world: World, case: Case) -> dict:
    data = {**world.payloads[case.form], **case.changes}
    return {k: v() if callable(v) else v for k, v in data.items()}


def client_for(world: World, case: Case) -> Client:
    client = Client(
        enforce_csrf_checks=case.csrf is not None, HTTP_ACCEPT_LANGUAGE="en"
    )
    user = world.users[case.who]
    if user is not None:
        client.force_login(user)
    if case.csrf == "wrong":
        client.cookies[settings.CSRF_COOKIE_NAME] = "A" * 32
    return client


def send(client: Client, world: World, case: Case):
    url = case.url.format(**world.ids)
    data = payload(world, case)
    extra = {"HTTP_X_CSRFTOKEN": "B" * 32} if case.csrf == "wrong" else {}
    if case.csrf == "wrong" and not case.api:
        data["csrfmiddlewaretoken"] = "B" * 32
    has_file = any(isinstance(v, SimpleUploadedFile) for v in data.values())
    if case.method == "get":
        return client.get(url, data, follow=not case.api)
    if case.api and not has_file:
        body = json.dumps(data) if case.raw is None else case.raw
        return client.generic(
            case.method.upper(), url, body, content_type="application/json", **extra
        )
    return getattr(client, case.method)(url, data, follow=not case.api, **extra)


def texts(value) -> list[str]:
    """Every string in an API error body."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in texts(item)]
    return [str(value)]


def shown(response, case: Case) -> str:
    if case.api and response.get("Content-Type", "").startswith("application/json"):
        return " ".join(texts(response.json()))
    return html.unescape(response.content.decode())


def assert_refused_and_unchanged(world: World, case: Case) -> None:
    """The case's message with its status; no markup echoed; nothing changed."""
    client = client_for(world, case)
    before, files = database_state(), stored_files()
    nul = NulWatch()
    with connection.execute_wrapper(nul):
        response = send(client, world, case)
    assert response.status_code == case.status, shown(response, case)[:2000]
    assert case.expect in shown(response, case), shown(response, case)[:2000]
    if response.get("Content-Type", "").startswith("text/html"):
        for value in payload(world, case).values():
            if isinstance(value, str) and "<" in value:
                assert value not in response.content.decode()  # shown as text
    assert database_state() == before
    assert stored_files() == files
    assert not nul.queries  # PostgreSQL would refuse them: a 500 there


# --- The valid payloads are valid ---------------------------------------------------

# The bad register is this form's point; a good import is
# tests/farmers/test_register_import.py's.
NO_VALID_PAYLOAD = {"import", "query"}


def valid_counterparts(cases: list[Case]) -> list[Case]:
    """Each form of `cases` once, with its valid payload unchanged."""
    forms = {}
    for case in cases:
        key = (case.who, case.url, case.form, case.method, case.api)
        if case.form not in NO_VALID_PAYLOAD and key not in forms:
            forms[key] = replace(
                case, name=f"{case.who} {case.method} {case.url}", changes={}, raw=None
            )
    return [replace(case, csrf=None) for case in forms.values()]


def assert_saved(world: World, case: Case) -> None:
    """The form's valid payload is accepted, and saved."""
    client = client_for(world, case)
    before = database_state()
    response = send(client, world, case)
    assert response.status_code < 400, shown(response, case)[:2000]
    assert database_state() != before


def every_case() -> list[Case]:
    """The cases of every module of this folder (each module's `CASES`)."""
    found = []
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("test_"):
            imported = importlib.import_module(f"{__package__}.{module.name}")
            found += getattr(imported, "CASES", [])
    return found
