"""The bad-input catalogue (issue 8): every form and API write fed what a careless or
hostile user sends (oversized and unicode-heavy text, null bytes, HTML and script,
huge, negative and not-a-number amounts, malformed dates, crafted images and
spreadsheets, a missing or wrong CSRF token, an oversized body).

Each case names who posts, where, what, and the message they must be shown. It
passes when the answer has that message with the expected status (never a 500),
any HTML in the payload is not echoed unescaped, the database (every table's rows)
and the upload folders are exactly as they were, and no query carried a NUL byte
(SQLite takes one, PostgreSQL refuses it: a 500 there). Each form's valid payload
is also sent once and must be saved, so a case fails only for its one bad value.

Everyone here browses in English (Accept-Language: en), so messages are asserted
in English; translation is tests/test_translations.py's business.
"""

import base64
import html
import io
import json
import zipfile
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from accounts.models import Role
from farmers.models import Household, ProductStatus, RegisterStatus
from farmers.register_import import check_register
from farmers.services import register_import_apply, register_import_upload
from fieldwork import services
from orders.cart import cart_add, cart_view
from orders.models import Cart
from orders.transitions import order_pay
from tests.factories import (
    SURVEY_FIGURES,
    AddressFactory,
    AssistantFactory,
    CategoryFactory,
    CountyFactory,
    FarmerFactory,
    ProductFactory,
    UserFactory,
    VillageFactory,
    farmer_of,
    place_order,
)
from tests.farmers.test_product_images import photo, png_bomb
from tests.farmers.test_register_import import csv_upload, row, xlsx_upload

pytestmark = pytest.mark.django_db

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
BAD_TRACKING = "A tracking number has 4 to 40 letters, digits or hyphens."
CSRF_PAGE = "CSRF verification failed. Request aborted."
TOO_BIG = "This upload is too large (at most 8 MB)."
UNREADABLE = "What was sent is too large or malformed, so nothing was saved."


# --- Crafted files and cursors ------------------------------------------------------


def good_photo():
    return photo(size=(64, 48))


def html_as_jpg():
    return SimpleUploadedFile("honey.jpg", f"<html>{SCRIPT}</html>".encode())


def truncated_jpeg():
    return SimpleUploadedFile("honey.jpg", photo().read()[:400])


def svg_with_script():
    svg = f'<svg xmlns="http://www.w3.org/2000/svg">{SCRIPT}</svg>'
    return SimpleUploadedFile("honey.svg", svg.encode(), "image/svg+xml")


def jpeg_over_5_mb():
    return SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (5 * MB))


def body_over_8_mb():
    return SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"0" * (8 * MB + 1))


def html_named_xlsx():
    return SimpleUploadedFile("register.xlsx", f"<html>{SCRIPT}</html>".encode())


def zip_not_xlsx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("register.csv", "county_code,village\n")
    return SimpleUploadedFile("register.xlsx", out.getvalue())


def register_too_many_rows():
    return xlsx_upload([row(f"R{i:05d}") for i in range(5001)])


def register_without_columns():
    return csv_upload([["x", "y"]], header=["name", "age"])


def b64(text: str) -> str:
    """A cursor as DRF encodes one (here: forged)."""
    return base64.b64encode(text.encode()).decode()


# --- The world every case runs in ---------------------------------------------------


@dataclass
class World:
    users: dict  # who: the user posting (None: an anonymous visitor)
    ids: dict  # what URLs name: {product}, {order}, ...
    payloads: dict  # form: a valid payload (a callable value is made per request)


@pytest.fixture
def world():
    """One county with an assistant, their farmer (a registered household, a
    listing on sale, one pending review, a survey, a training session), a buyer
    with an address, a paid order and a cart, an official, and a register upload
    with bad rows."""
    county = CountyFactory(code="529901")  # the registers' county (row() below)
    assistant = AssistantFactory(county=county)
    VillageFactory(county=county, name="Shiban")
    farmer = farmer_of(assistant, household__registered=True)
    product = ProductFactory(farmer=farmer, status=ProductStatus.ACTIVE, stock=50)
    pending = ProductFactory(
        farmer=farmer, status=ProductStatus.PENDING, submitted_at=timezone.now()
    )
    buyer = UserFactory(role=Role.BUYER)
    address = AddressFactory(buyer=buyer)
    order = order_pay(order=place_order(buyer=buyer, product=product))
    cart_add(
        cart=Cart.objects.get_or_create(buyer=buyer)[0],
        product_id=product.pk,
        quantity=1,
    )
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(county)
    survey = services.survey_record(
        household=farmer.household,
        year=LAST_YEAR,
        recorded_by=assistant.user,
        **SURVEY_FIGURES,
    )
    session = services.training_record(
        assistant=assistant,
        held_on=timezone.localdate(),
        hours=Decimal("2"),
        topics=["pricing"],
        location="村委会",
        farmers=[farmer],
    )
    bad_register = register_import_upload(  # Excel's largest cell, and 1e30 people
        upload=xlsx_upload(
            [row("R001", members="1e30"), row("R002", head_of_household="x" * 32767)]
        ),
        uploaded_by=official,
    )
    loner = FarmerFactory(household__village__county=county)  # nobody's farmer yet
    category = CategoryFactory()
    village = county.villages.get(name="Shiban")
    quote = cart_view(Cart.objects.get(buyer=buyer)).quote
    return World(
        users={
            "anonymous": None,
            "buyer": buyer,
            "farmer": farmer.user,
            "assistant": assistant.user,
            "official": official,
        },
        ids={
            "product": product.pk,
            "pending": pending.pk,
            "farmer": farmer.pk,
            "order": order.pk,
            "survey": survey.pk,
            "session": session.pk,
            "register": bad_register.pk,
        },
        payloads={
            "sign_in": {"username": buyer.username, "password": PASSWORD},
            "sign_up": {
                "username": "newbuyer",
                "email": "newbuyer@example.com",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
            "password": {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
            "storefront": {
                "shop_name": farmer.shop_name,
                "slug": farmer.slug,
                "story": "我们的蜂蜜",
                "phone": farmer.phone,
            },
            "listing": {
                "category": category.pk,
                "title": "高山蜂蜜",
                "description": "野生百花蜜",
                "unit": "bottle",
                "net_weight_kg": "0.5",
                "price": "68.00",
                "stock": "20",
            },
            "listing_for": {  # an assistant's: for one of their farmers
                "farmer": farmer.pk,
                "category": category.pk,
                "title": "高山蜂蜜",
                "unit": "bottle",
                "net_weight_kg": "0.5",
                "price": "68.00",
                "stock": "20",
            },
            "quick": {"price": "68.00", "stock": "20"},
            "photo": {"photo": good_photo},
            "api_photo": {"image": good_photo},
            "register": {"file": lambda: csv_upload([row("R009")])},
            "onboard": {
                "farmer-full_name": "王秀英",
                "farmer-phone": "13912345678",
                "farmer-username": "",
                "farmer-shop_name": "秀英的蜂蜜",
                "farmer-slug": "",
                "farmer-household_choice": "new",
                "household-village": village.pk,
                "household-head_name": "王大山",
                "household-members": "4",
                "household-status": RegisterStatus.REGISTERED,
                "household-registration_number": "5299012016001",
                "household-registration_year": "2016",
                "household-poverty_causes": ["illness"],
                "household-support_measures": "养蜂培训",
                "household-expected_exit_year": "2019",
            },
            "exit": {"exited_on": str(timezone.localdate()), "reason": "脱贫"},
            "reject": {
                "reason": "照片模糊",
                "version": pending.updated_at.isoformat(),
            },
            "visit": {
                "visited_on": str(timezone.localdate()),
                "purpose": "follow_up",
                "challenges": "",
                "support_needed": "",
            },
            "survey": {"year": LAST_YEAR - 1, **SURVEY_FIGURES},
            "survey_edit": {**SURVEY_FIGURES, "wages": "6500.00"},
            "training": {
                "held_on": str(timezone.localdate()),
                "hours": "2",
                "location": "村委会",
                "topics": ["pricing"],
                "farmers": [farmer.pk],
                "notes": "",
            },
            "assign": {"farmers": [loner.pk], "assistant": assistant.pk},
            "address": {
                "add_address": "1",
                "recipient": "李明",
                "phone": "13800000000",
                "region": "湖北省 武汉市",
                "street": "珞喻路 1 号",
            },
            "place": {
                "place": "1",
                "address": address.pk,
                "provider": "simulated",
                "idempotency_key": "6f1c1f5e-4c3b-4b6e-9d8a-2f0e7a1b2c3d",
                "quote": quote,
            },
            "cart_add": {"product": product.pk, "quantity": "1"},
            "quantity": {"quantity": "2"},
            "ship": {"carrier": "中国邮政 EMS", "tracking_number": "E12345678CN"},
            "cancel": {"note": ""},
            "export": {
                "report": "county_sales",
                "format": "csv",
                "start": f"{LAST_YEAR}-01",
                "end": f"{LAST_YEAR}-12",
            },
            "import": {},
            "query": {},  # GET: the query string is the whole payload
            # The API's valid bodies.
            "api_listing": {
                "category": category.slug,
                "title": "高山蜂蜜",
                "description": "野生百花蜜",
                "unit": "bottle",
                "net_weight_kg": "0.500",
                "price": "68.00",
                "stock": 20,
            },
            "api_listing_for": {  # an assistant's: for one of their farmers
                "category": category.slug,
                "title": "高山蜂蜜",
                "unit": "bottle",
                "net_weight_kg": "0.500",
                "price": "68.00",
                "stock": 20,
                "farmer": farmer.pk,
            },
            "api_cart": {"product": product.pk, "quantity": 1},
            "api_quantity": {"quantity": 2},
            "api_address": {
                "recipient": "李明",
                "phone": "13800000000",
                "region": "湖北省",
                "street": "1号",
            },
            "api_checkout": {
                "address": address.pk,
                "provider": "simulated",
                "idempotency_key": "6f1c1f5e-4c3b-4b6e-9d8a-2f0e7a1b2c3d",
                "quote": quote,
            },
            "api_ship": {"carrier": "EMS", "tracking_number": "E12345678CN"},
            "api_reject": {"reason": "照片模糊"},
            "api_cancel": {"note": ""},
            "api_training": {
                "held_on": str(timezone.localdate()),
                "hours": "2.0",
                "location": "村委会",
                "topics": ["pricing"],
                "farmers": [farmer.pk],
            },
            "api_attendance": {"farmers": []},
            "api_visit": {
                "household": farmer.household_id,
                "visited_on": str(timezone.localdate()),
                "purpose": "follow_up",
            },
            "api_survey": {
                "household": farmer.household_id,
                "year": LAST_YEAR - 1,
                **{name: str(value) for name, value in SURVEY_FIGURES.items()},
            },
            "api_survey_edit": {"wages": "100.00"},
            "api_token": {"username": buyer.username, "password": PASSWORD},
        },
    )


# --- The catalogue ------------------------------------------------------------------


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

# A table: one case per line or two reads better than one value per line.
# fmt: off
CATALOGUE = [
    # Sign-up (anonymous).
    page("sign-up: username over 150", "anonymous", SIGN_UP, "sign_up",
         {"username": "u" * 151}, too_long(150, 151)),
    page("sign-up: username with RTL override", "anonymous", SIGN_UP, "sign_up",
         {"username": f"admin{RLO}nimda"}, BAD_USERNAME),
    page("sign-up: username with NUL", "anonymous", SIGN_UP, "sign_up",
         {"username": "new\x00buyer"}, NUL),
    page("sign-up: username is a script", "anonymous", SIGN_UP, "sign_up",
         {"username": SCRIPT}, BAD_USERNAME),
    page("sign-up: e-mail of 1 MB", "anonymous", SIGN_UP, "sign_up",
         {"email": "a" * MB + "@example.com"}, too_long(254, MB + 12)),
    page("sign-up: password with NUL", "anonymous", SIGN_UP, "sign_up",
         {"password1": "abc\x00defghij", "password2": "abc\x00defghij"}, NUL),
    page("sign-up: CSRF token missing", "anonymous", SIGN_UP, "sign_up", {},
         CSRF_PAGE, 403, csrf="missing"),
    # Sign-in (one wrong try only: django-axes counts them).
    page("sign-in: username with NUL", "anonymous", "/accounts/login/", "sign_in",
         {"username": "buyer\x00"}, NUL),
    # Password change.
    page("password: wrong old password", "buyer", PASSWORD_PAGE, "password",
         {"old_password": ZALGO}, "Your old password was entered incorrectly."),
    page("password: new one with NUL", "buyer", PASSWORD_PAGE, "password",
         {"new_password1": "plum\x00blossom", "new_password2": "plum\x00blossom"},
         NUL),
    # Storefront (farmer).
    page("storefront: shop name of 61 emoji", "farmer", STOREFRONT, "storefront",
         {"shop_name": "🍯" * 61}, too_long(60, 61)),
    page("storefront: story of 1 MB", "farmer", STOREFRONT, "storefront",
         {"story": "s" * MB}, too_long(2000, MB)),
    page("storefront: 3 MB of text", "farmer", STOREFRONT, "storefront",
         {"story": "蜜" * MB}, UNREADABLE, 400),
    page("storefront: story with NUL", "farmer", STOREFRONT, "storefront",
         {"story": "honey\x00"}, NUL),
    page("storefront: slug is a script", "farmer", STOREFRONT, "storefront",
         {"slug": SCRIPT}, BAD_SLUG),
    page("storefront: phone with zero-width space", "farmer", STOREFRONT,
         "storefront", {"phone": f"1391234567{ZWSP}"}, BAD_MOBILE),
    page("storefront: HTML saved as .jpg", "farmer", STOREFRONT, "storefront",
         {"cover_photo": html_as_jpg}, NOT_A_PHOTO),
    page("storefront: SVG with script", "farmer", STOREFRONT, "storefront",
         {"cover_photo": svg_with_script}, NOT_A_PHOTO),
    page("storefront: decompression bomb", "farmer", STOREFRONT, "storefront",
         {"cover_photo": png_bomb}, TOO_MANY_PIXELS),
    page("storefront: cover over 5 MB", "farmer", STOREFRONT, "storefront",
         {"cover_photo": jpeg_over_5_mb}, OVER_5_MB),
    page("storefront: cover is a GIF", "farmer", STOREFRONT, "storefront",
         {"cover_photo": lambda: photo(fmt="GIF", exif=False)}, NOT_JPEG_PNG_WEBP),
    page("storefront: CSRF token missing", "farmer", STOREFRONT, "storefront", {},
         CSRF_PAGE, 403, csrf="missing"),
    page("storefront: CSRF token wrong", "farmer", STOREFRONT, "storefront", {},
         CSRF_PAGE, 403, csrf="wrong"),
    # Listing, new and edit (farmer).
    page("listing: title of stacked combining marks", "farmer", LISTING_NEW,
         "listing", {"title": ZALGO}, too_long(80, 91)),
    page("listing: title of 20 family emoji", "farmer", LISTING_NEW, "listing",
         {"title": FAMILY * 20}, too_long(80, 100)),
    page("listing: title of 1 MB", "farmer", LISTING_NEW, "listing",
         {"title": "x" * MB}, too_long(80, MB)),
    page("listing: title with NUL", "farmer", LISTING_NEW, "listing",
         {"title": "honey\x00"}, NUL),
    page("listing: description over 5000", "farmer", LISTING_NEW, "listing",
         {"description": "d" * 5001}, too_long(5000, 5001)),
    page("listing: unit is a script", "farmer", LISTING_NEW, "listing",
         {"unit": SCRIPT}, BAD_CHOICE),
    page("listing: category is an img tag", "farmer", LISTING_NEW, "listing",
         {"category": '<img src=x onerror="alert(1)">'}, BAD_CHOICE),
    page("listing: price NaN", "farmer", LISTING_NEW, "listing",
         {"price": "NaN"}, NOT_A_NUMBER),
    page("listing: price Infinity", "farmer", LISTING_NEW, "listing",
         {"price": "Infinity"}, NOT_A_NUMBER),
    page("listing: price -0", "farmer", LISTING_NEW, "listing",
         {"price": "-0"}, "Ensure this value is greater than or equal to 0.01."),
    page("listing: price 1e30", "farmer", LISTING_NEW, "listing",
         {"price": "1e30"}, "Ensure that there are no more than 12 digits in total."),
    page("listing: price of 20 nines", "farmer", LISTING_NEW, "listing",
         {"price": "9" * 20}, "Ensure that there are no more than 12 digits in total."),
    page("listing: price with 3 decimals", "farmer", LISTING_NEW, "listing",
         {"price": "68.001"}, "Ensure that there are no more than 2 decimal places."),
    page("listing: negative stock", "farmer", LISTING_NEW, "listing",
         {"stock": "-5"}, "Ensure this value is greater than or equal to 0."),
    page("listing: stock of 20 nines", "farmer", LISTING_NEW, "listing",
         {"stock": "9" * 20}, "Ensure this value is less than or equal to"),
    page("listing: net weight 1e30", "farmer", LISTING_NEW, "listing",
         {"net_weight_kg": "1e30"}, "no more than 8 digits in total."),
    page("listing new: farmer id of 20 digits", "assistant", LISTING_NEW,
         "listing_for", {"farmer": "9" * 20}, BAD_CHOICE),
    page("listing edit: negative price", "farmer", LISTING, "listing",
         {"price": "-1"}, "Ensure this value is greater than or equal to 0.01."),
    page("listing edit: description with NUL", "farmer", LISTING, "listing",
         {"description": "\x00"}, NUL),
    page("listing new: CSRF token missing", "farmer", LISTING_NEW, "listing", {},
         CSRF_PAGE, 403, csrf="missing"),
    # Inline price and stock (farmer).
    page("quick edit: price Infinity", "farmer", QUICK, "quick",
         {"price": "Infinity"}, NOT_A_NUMBER),
    page("quick edit: stock -1", "farmer", QUICK, "quick",
         {"stock": "-1"}, "Ensure this value is greater than or equal to 0."),
    page("quick edit: stock 1e3", "farmer", QUICK, "quick",
         {"stock": "1e3"}, NOT_A_WHOLE_NUMBER),
    # Listing photos (farmer).
    page("photo: HTML saved as .jpg", "farmer", PHOTOS, "photo",
         {"photo": html_as_jpg}, NOT_A_PHOTO),
    page("photo: truncated JPEG", "farmer", PHOTOS, "photo",
         {"photo": truncated_jpeg}, NOT_A_PHOTO),
    page("photo: SVG with script", "farmer", PHOTOS, "photo",
         {"photo": svg_with_script}, NOT_A_PHOTO),
    page("photo: decompression bomb", "farmer", PHOTOS, "photo",
         {"photo": png_bomb}, TOO_MANY_PIXELS),
    page("photo: a BMP", "farmer", PHOTOS, "photo",
         {"photo": lambda: photo(fmt="BMP", exif=False, size=(40, 40))},
         NOT_JPEG_PNG_WEBP),
    page("photo: over 5 MB", "farmer", PHOTOS, "photo",
         {"photo": jpeg_over_5_mb}, OVER_5_MB),
    page("photo: 101 files in one form", "farmer", PHOTOS, "photo",
         {"photo": lambda: [good_photo() for _ in range(101)]}, UNREADABLE, 400),
    page("photo: body over 8 MB", "farmer", PHOTOS, "photo",
         {"photo": body_over_8_mb}, TOO_BIG, 413),
    # Register import (official): the upload, and importing a file with bad rows.
    page("register: an HTML page named .xlsx", "official", IMPORT, "register",
         {"file": html_named_xlsx}, "Missing columns:"),
    page("register: a zip that is not a workbook", "official", IMPORT, "register",
         {"file": zip_not_xlsx}, "This file is not a readable XLSX workbook."),
    page("register: not CSV or XLSX", "official", IMPORT, "register",
         {"file": lambda: SimpleUploadedFile("r.exe", b"MZ")},
         "Upload a .csv or .xlsx file."),
    page("register: more than 5,000 rows", "official", IMPORT, "register",
         {"file": register_too_many_rows},
         "The file has more than 5000 rows. Split it into parts."),
    page("register: no register columns", "official", IMPORT, "register",
         {"file": register_without_columns}, "Missing columns:"),
    page("register: importing a file with bad rows", "official",
         "/households/import/{register}/", "import", {},
         "The file has errors, so nothing was imported."),
    # Onboarding a farmer (assistant).
    page("onboard: name of 1 MB", "assistant", ONBOARD, "onboard",
         {"farmer-full_name": "w" * MB}, too_long(60, MB)),
    page("onboard: 3 MB of text", "assistant", ONBOARD, "onboard",
         {"farmer-full_name": "王" * MB}, UNREADABLE, 400),
    page("onboard: phone with NUL", "assistant", ONBOARD, "onboard",
         {"farmer-phone": "1391234567\x00"}, NUL),
    page("onboard: username with RTL override", "assistant", ONBOARD, "onboard",
         {"farmer-username": f"farmer{RLO}"}, BAD_USERNAME),
    page("onboard: shop address is a script", "assistant", ONBOARD, "onboard",
         {"farmer-slug": SCRIPT}, BAD_SLUG),
    page("onboard: existing household id of 20 digits", "assistant", ONBOARD,
         "onboard", {"farmer-household_choice": "existing",
                     "farmer-existing_household": "9" * 20}, BAD_CHOICE),
    page("onboard: household of 1e30 members", "assistant", ONBOARD, "onboard",
         {"household-members": "1e30"}, NOT_A_WHOLE_NUMBER),
    page("onboard: household of 0 members", "assistant", ONBOARD, "onboard",
         {"household-members": "0"},
         "Ensure this value is greater than or equal to 1."),
    page("onboard: registration year 9999", "assistant", ONBOARD, "onboard",
         {"household-registration_year": "9999"},
         "Ensure this value is less than or equal to 2100."),
    page("onboard: head of household with NUL", "assistant", ONBOARD, "onboard",
         {"household-head_name": "王\x00"}, NUL),
    # A household leaving the register, and a listing's review (assistant).
    page("exit: 30 February", "assistant", EXIT, "exit",
         {"exited_on": "2026-02-30"}, NOT_A_DATE),
    page("exit: 'tomorrow'", "assistant", EXIT, "exit",
         {"exited_on": "tomorrow"}, NOT_A_DATE),
    page("exit: in the future", "assistant", EXIT, "exit",
         {"exited_on": "2999-12-31"}, "The exit date cannot be in the future."),
    page("exit: a reason of 1 MB", "assistant", EXIT, "exit",
         {"reason": "r" * MB}, too_long(1000, MB)),
    page("review: rejection reason with NUL", "assistant", REJECT, "reject",
         {"reason": "\x00"}, NUL),
    page("review: rejection reason over 1000", "assistant", REJECT, "reject",
         {"reason": "r" * 1001}, too_long(1000, 1001)),
    page("review: a forged version", "assistant", REJECT, "reject",
         {"version": SCRIPT}, "The listing changed while you were reviewing it."),
    # Visits (assistant).
    page("visit: 30 February", "assistant", VISIT, "visit",
         {"visited_on": "2026-02-30"}, NOT_A_DATE),
    page("visit: 'tomorrow'", "assistant", VISIT, "visit",
         {"visited_on": "tomorrow"}, NOT_A_DATE),
    page("visit: 9999-99-99", "assistant", VISIT, "visit",
         {"visited_on": "9999-99-99"}, NOT_A_DATE),
    page("visit: month 13", "assistant", VISIT, "visit",
         {"visited_on": "2026-13-01"}, NOT_A_DATE),
    page("visit: in the future", "assistant", VISIT, "visit",
         {"visited_on": "2999-01-01"}, "The date cannot be in the future."),
    page("visit: challenges over 2000", "assistant", VISIT, "visit",
         {"challenges": "c" * 2001}, too_long(2000, 2001)),
    page("visit: purpose is a script", "assistant", VISIT, "visit",
         {"purpose": SCRIPT}, BAD_CHOICE),
    # Income surveys, new and corrected (assistant).
    page("survey: negative wages", "assistant", SURVEY_NEW, "survey",
         {"wages": "-1"}, "Ensure this value is greater than or equal to 0."),
    page("survey: wages NaN", "assistant", SURVEY_NEW, "survey",
         {"wages": "NaN"}, NOT_A_NUMBER),
    page("survey: wages -Infinity", "assistant", SURVEY_NEW, "survey",
         {"wages": "-Infinity"}, NOT_A_NUMBER),
    page("survey: wages 1e30", "assistant", SURVEY_NEW, "survey",
         {"wages": "1e30"}, "Ensure that there are no more than 12 digits in total."),
    page("survey: household of 0", "assistant", SURVEY_NEW, "survey",
         {"members": "0"}, "Ensure this value is greater than or equal to 1."),
    page("survey: a future year", "assistant", SURVEY_NEW, "survey",
         {"year": "9999"}, "A survey year cannot be in the future."),
    page("survey: a year already surveyed", "assistant", SURVEY_NEW, "survey",
         {"year": str(LAST_YEAR)},
         f"This household already has a survey for {LAST_YEAR}; correct it instead."),
    page("survey: dibao above transfers", "assistant", SURVEY_NEW, "survey",
         {"dibao": "5000"}, "Dibao is part of transfers: it cannot be more than them."),
    page("survey edit: wages with 3 decimals", "assistant", SURVEY_EDIT,
         "survey_edit", {"wages": "0.001"},
         "Ensure that there are no more than 2 decimal places."),
    page("survey edit: dibao above transfers", "assistant", SURVEY_EDIT,
         "survey_edit", {"dibao": "99999"},
         "Dibao is part of transfers: it cannot be more than them."),
    page("survey edit: household of 20 nines", "assistant", SURVEY_EDIT,
         "survey_edit", {"members": "9" * 20},
         "Ensure this value is less than or equal to 50."),
    # Training sessions (assistant).
    page("training: hours NaN", "assistant", TRAINING, "training",
         {"hours": "NaN"}, NOT_A_NUMBER),
    page("training: 25 hours", "assistant", TRAINING, "training",
         {"hours": "25"}, "A session lasts at most 24 hours."),
    page("training: 30 February", "assistant", TRAINING, "training",
         {"held_on": "2026-02-30"}, NOT_A_DATE),
    page("training: a farmer id of 20 digits", "assistant", TRAINING, "training",
         {"farmers": ["9" * 20]}, "is not a valid value."),
    page("training: topic is a script", "assistant", TRAINING, "training",
         {"topics": [SCRIPT]}, BAD_CHOICE),
    page("training: location over 100", "assistant", TRAINING, "training",
         {"location": "l" * 101}, too_long(100, 101)),
    page("training: 1,001 farmer ids", "assistant", TRAINING, "training",
         {"farmers": ["1"] * 1001}, UNREADABLE, 400),
    # Assignments (official).
    page("assign: assistant id of 20 digits", "official", ASSIGN, "assign",
         {"assistant": "9" * 20}, BAD_CHOICE),
    page("assign: farmer id of 20 digits", "official", ASSIGN, "assign",
         {"farmers": ["9" * 20]}, "is not a valid value."),
    # Checkout: a new address, and placing the order (buyer).
    page("checkout: phone with RTL override", "buyer", CHECKOUT, "address",
         {"phone": f"138{RLO}00000000"}, BAD_PHONE),
    page("checkout: recipient over 40", "buyer", CHECKOUT, "address",
         {"recipient": "李" * 41}, too_long(40, 41)),
    page("checkout: street with NUL", "buyer", CHECKOUT, "address",
         {"street": "珞喻路\x00"}, NUL),
    page("checkout: a quote over 20000", "buyer", CHECKOUT, "place",
         {"quote": "q" * 20001}, too_long(20000, 20001)),
    page("checkout: address id of 20 digits", "buyer", CHECKOUT, "place",
         {"address": "9" * 20}, BAD_CHOICE),
    page("checkout: idempotency key not a UUID", "buyer", CHECKOUT, "place",
         {"idempotency_key": SCRIPT}, "Enter a valid UUID."),
    # Cart (buyer).
    page("cart add: negative quantity", "buyer", CART_ADD, "cart_add",
         {"quantity": "-1"}, "The quantity cannot be negative."),
    page("cart add: quantity 1e30", "buyer", CART_ADD, "cart_add",
         {"quantity": "1e30"}, NOT_A_WHOLE_NUMBER),
    page("cart add: quantity NaN", "buyer", CART_ADD, "cart_add",
         {"quantity": "NaN"}, NOT_A_WHOLE_NUMBER),
    page("cart add: 10,000 at once", "buyer", CART_ADD, "cart_add",
         {"quantity": "10000"}, "At most 9999 at a time."),
    page("cart add: product id of 20 digits", "buyer", CART_ADD, "cart_add",
         {"product": "9" * 20}, "Ensure this value is less than or equal to"),
    page("cart line: quantity -5", "buyer", CART_LINE, "quantity",
         {"quantity": "-5"}, "The quantity cannot be negative."),
    page("cart line: quantity Infinity", "buyer", CART_LINE, "quantity",
         {"quantity": "Infinity"}, NOT_A_WHOLE_NUMBER),
    # Shipping and order actions.
    page("ship: tracking number with RTL override", "farmer", SHIP, "ship",
         {"tracking_number": f"E1234{RLO}5678"}, BAD_TRACKING),
    page("ship: tracking number is a script", "farmer", SHIP, "ship",
         {"tracking_number": SCRIPT}, BAD_TRACKING),
    page("ship: carrier over 40", "farmer", SHIP, "ship",
         {"carrier": "c" * 41}, too_long(40, 41)),
    page("ship: carrier with NUL", "farmer", SHIP, "ship",
         {"carrier": "EMS\x00"}, NUL),
    page("cancel: a note over 200", "buyer", CANCEL, "cancel",
         {"note": "n" * 201}, too_long(200, 201)),
    # Report exports (official).
    page("export: month 13", "official", EXPORT, "export",
         {"start": f"{LAST_YEAR}-13"}, "Check the filters, then export again."),
    page("export: a period ending before it starts", "official", EXPORT, "export",
         {"start": f"{LAST_YEAR}-12", "end": f"{LAST_YEAR}-01"},
         "Check the filters, then export again."),
    # --- The API -----------------------------------------------------------------
    api("api listing: title with NUL", "farmer", "post", "/api/listings/",
        "api_listing", {"title": "honey\x00"}, NUL),
    api("api listing: title of 1 MB", "farmer", "post", "/api/listings/",
        "api_listing", {"title": "x" * MB}, api_too_long(80)),
    api("api listing: description of stacked marks", "farmer", "post",
        "/api/listings/", "api_listing", {"description": ZALGO * 60},
        api_too_long(5000)),
    api("api listing: price NaN", "farmer", "post", "/api/listings/",
        "api_listing", {"price": "NaN"}, API_NOT_A_NUMBER),
    api("api listing: price Infinity", "farmer", "post", "/api/listings/",
        "api_listing", {"price": "Infinity"}, API_NOT_A_NUMBER),
    api("api listing: price 1e30", "farmer", "post", "/api/listings/",
        "api_listing", {"price": 1e30},
        "Ensure that there are no more than 12 digits in total."),
    api("api listing: price -0", "farmer", "post", "/api/listings/",
        "api_listing", {"price": "-0"},
        "Ensure this value is greater than or equal to 0.01."),
    api("api listing: stock of 20 nines", "farmer", "post", "/api/listings/",
        "api_listing", {"stock": int("9" * 20)},
        "Ensure this value is less than or equal to 2147483647."),
    api("api listing: category is a script", "farmer", "post", "/api/listings/",
        "api_listing", {"category": SCRIPT}, "Object with slug="),
    api("api listing: edit to a negative stock", "farmer", "patch",
        "/api/listings/{product}/", "api_listing", {"stock": -1},
        "Ensure this value is greater than or equal to 0."),
    api("api listing: photo is HTML", "farmer", "post",
        "/api/listings/{product}/images/", "api_photo", {"image": html_as_jpg},
        NOT_A_PHOTO),
    api("api listing: body over 8 MB", "farmer", "post", "/api/listings/",
        "api_listing", {"description": "d" * (8 * MB)}, TOO_BIG, 413),
    api("api listing: CSRF token missing", "farmer", "post", "/api/listings/",
        "api_listing", {}, "CSRF Failed", 403, csrf="missing"),
    api("api listing: rejection reason with NUL", "assistant", "post",
        "/api/listings/{pending}/reject/", "api_reject", {"reason": "\x00"}, NUL),
    api("api listing: rejection reason of 1 MB", "assistant", "post",
        "/api/listings/{pending}/reject/", "api_reject", {"reason": "r" * MB},
        api_too_long(1000)),
    api("api listing: farmer id of 20 digits", "assistant", "post",
        "/api/listings/", "api_listing_for", {"farmer": int("9" * 20)},
        "None of your farmers has this id."),
    api("api cart: JSON nested 100,000 deep", "buyer", "post", "/api/cart/",
        "api_cart", {}, "JSON parse error - nested too deeply.",
        raw="[" * 100_000 + "]" * 100_000),
    api("api cart: a NaN literal in the JSON", "buyer", "post", "/api/cart/",
        "api_cart", {}, "Out of range float values are not JSON compliant",
        raw='{"product": 1, "quantity": NaN}'),
    api("api cart: malformed JSON", "buyer", "post", "/api/cart/", "api_cart", {},
        "JSON parse error", raw='{"product": 1, "quantity": '),
    api("api cart: a list instead of an object", "buyer", "post", "/api/cart/",
        "api_cart", {}, "Invalid data. Expected a dictionary, but got list.",
        raw="[]"),
    api("api cart: negative quantity", "buyer", "post", "/api/cart/",
        "api_cart", {"quantity": -1},
        "Ensure this value is greater than or equal to 1."),
    api("api cart: quantity NaN", "buyer", "post", "/api/cart/",
        "api_cart", {"quantity": "NaN"}, API_NOT_AN_INTEGER),
    api("api cart: quantity 1e30", "buyer", "post", "/api/cart/",
        "api_cart", {"quantity": 1e30}, API_NOT_AN_INTEGER),
    api("api cart: product id of 20 digits", "buyer", "post", "/api/cart/",
        "api_cart", {"product": int("9" * 20)},
        "Ensure this value is less than or equal to 9223372036854775807."),
    api("api cart: line set to 10,000", "buyer", "patch", "/api/cart/{product}/",
        "api_quantity", {"quantity": 10000},
        "Ensure this value is less than or equal to 9999."),
    api("api cart: CSRF token wrong", "buyer", "post", "/api/cart/",
        "api_cart", {}, "CSRF Failed", 403, csrf="wrong"),
    api("api address: phone with RTL override", "buyer", "post",
        "/api/addresses/", "api_address", {"phone": f"138{RLO}00000000"}, BAD_PHONE),
    api("api address: recipient with NUL", "buyer", "post", "/api/addresses/",
        "api_address", {"recipient": "李\x00"}, NUL),
    api("api address: street of 1 MB", "buyer", "post", "/api/addresses/",
        "api_address", {"street": "s" * MB}, api_too_long(200)),
    api("api checkout: idempotency key not a UUID", "buyer", "post",
        "/api/checkouts/", "api_checkout", {"idempotency_key": "tomorrow"},
        "Must be a valid UUID."),
    api("api checkout: a quote over 20000", "buyer", "post", "/api/checkouts/",
        "api_checkout", {"quote": "q" * 20001}, api_too_long(20000)),
    api("api checkout: address id of 20 digits", "buyer", "post",
        "/api/checkouts/", "api_checkout", {"address": int("9" * 20)},
        "Ensure this value is less than or equal to 9223372036854775807."),
    api("api order: tracking number with RTL override", "farmer", "post",
        "/api/orders/{order}/ship/", "api_ship",
        {"tracking_number": f"E1234{RLO}5678"}, "This value does not match"),
    api("api order: carrier with NUL", "farmer", "post",
        "/api/orders/{order}/ship/", "api_ship", {"carrier": "EMS\x00"}, NUL),
    api("api order: cancel note over 200", "buyer", "post",
        "/api/orders/{order}/cancel/", "api_cancel", {"note": "n" * 201},
        api_too_long(200)),
    api("api training: hours NaN", "assistant", "post", "/api/training-sessions/",
        "api_training", {"hours": "NaN"}, API_NOT_A_NUMBER),
    api("api training: 30 February", "assistant", "post",
        "/api/training-sessions/", "api_training", {"held_on": "2026-02-30"},
        API_NOT_A_DATE),
    api("api training: 'tomorrow'", "assistant", "post", "/api/training-sessions/",
        "api_training", {"held_on": "tomorrow"}, API_NOT_A_DATE),
    api("api training: topic is a script", "assistant", "post",
        "/api/training-sessions/", "api_training", {"topics": [SCRIPT]},
        "is not a valid choice."),
    api("api training: a farmer id of 20 digits", "assistant", "post",
        "/api/training-sessions/", "api_training", {"farmers": [int("9" * 20)]},
        "Invalid pk"),
    api("api training: 501 farmer ids", "assistant", "post",
        "/api/training-sessions/", "api_training", {"farmers": [1] * 501},
        "At most 500 farmers at once."),
    api("api training: nine topics", "assistant", "post",
        "/api/training-sessions/", "api_training", {"topics": ["pricing"] * 9},
        "Ensure this field has no more than 8 elements."),
    api("api training: notes with NUL", "assistant", "post",
        "/api/training-sessions/", "api_training", {"notes": "\x00"}, NUL),
    api("api attendance: a farmer id that is text", "assistant", "put",
        "/api/training-sessions/{session}/attendance/", "api_attendance",
        {"farmers": [SCRIPT]}, "Incorrect type. Expected pk value"),
    api("api attendance: 100,000 farmer ids", "assistant", "put",
        "/api/training-sessions/{session}/attendance/", "api_attendance",
        {"farmers": list(range(100_000))}, "At most 500 farmers at once."),
    api("api visit: 9999-99-99", "assistant", "post", "/api/visits/",
        "api_visit", {"visited_on": "9999-99-99"}, API_NOT_A_DATE),
    api("api visit: purpose is a script", "assistant", "post", "/api/visits/",
        "api_visit", {"purpose": SCRIPT}, "is not a valid choice."),
    api("api visit: challenges with NUL", "assistant", "post", "/api/visits/",
        "api_visit", {"challenges": "\x00"}, NUL),
    api("api survey: wages NaN", "assistant", "post", "/api/surveys/",
        "api_survey", {"wages": "NaN"}, API_NOT_A_NUMBER),
    api("api survey: negative wages", "assistant", "post", "/api/surveys/",
        "api_survey", {"wages": "-1"},
        "Ensure this value is greater than or equal to 0."),
    api("api survey: year 9999", "assistant", "post", "/api/surveys/",
        "api_survey", {"year": 9999}, "A survey year cannot be in the future."),
    api("api survey: correction with 3 decimals", "assistant", "patch",
        "/api/surveys/{survey}/", "api_survey_edit", {"wages": "1.001"},
        "Ensure that there are no more than 2 decimal places."),
    api("api survey: correction with dibao above transfers", "assistant",
        "patch", "/api/surveys/{survey}/", "api_survey_edit", {"dibao": "99999"},
        "Dibao is part of transfers: it cannot be more than them."),
    api("api token: username with NUL", "anonymous", "post", "/api/token/",
        "api_token", {"username": "buyer\x00"}, NUL),
    api("payment webhook: unsigned, amount NaN", "anonymous", "post",
        "/orders/webhooks/simulated/", "query",
        {"reference": SCRIPT, "amount": "NaN", "nonce": "\x00"}, "bad signature"),
    # --- Filters and searches (GET) ------------------------------------------------
    page("report: month 13", "official", "/reports/sales/", "query",
         {"start": f"{LAST_YEAR}-13"}, NOT_A_DATE, method="get"),
    page("report: year 9999", "official", "/reports/sales/", "query",
         {"end": "9999-12"}, "Choose a month from 2000 to", method="get"),
    page("report: county is a script", "official", "/reports/sales/", "query",
         {"county": SCRIPT}, BAD_CHOICE, method="get"),
    page("farmer search: NUL", "assistant", "/assistant/farmers/", "query",
         {"q": "王\x00"}, "No farmer matches your search.", method="get"),
    page("catalogue: search with NUL", "anonymous", "/products/", "query",
         {"q": "\x00"}, NUL, method="get"),
    page("catalogue: minimum price NaN", "anonymous", "/products/", "query",
         {"min_price": "NaN"}, NOT_A_NUMBER, method="get"),
    api("api report: 'tomorrow'", "official", "get", "/api/reports/county-sales/",
        "query", {"start": "tomorrow"}, NOT_A_DATE),
    api("api listings: category filter with NUL", "farmer", "get",
        "/api/listings/", "query", {"category": "\x00"}, NUL),
    api("api listings: a forged cursor", "farmer", "get", "/api/listings/",
        "query", {"cursor": b64("p=abc")}, "Invalid cursor", 404),
    api("api review queue: a forged cursor", "assistant", "get",
        "/api/listings/review-queue/", "query", {"cursor": b64("p=2026-02-30")},
        "Invalid cursor", 404),
    api("api catalogue: a forged cursor with NUL", "anonymous", "get",
        "/api/catalogue/products/", "query", {"cursor": b64("p=\x00")},
        "Invalid cursor", 404),
    api("api category: a slug with NUL", "anonymous", "get",
        "/api/catalogue/categories/honey%00/", "query", {}, "Not found.", 404),
    api("api storefront: a slug with NUL", "anonymous", "get",
        "/api/catalogue/storefronts/%00/", "query", {}, "Not found.", 404),
]
# fmt: on


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


@pytest.mark.parametrize("case", CATALOGUE, ids=str)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(world, case):
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


def valid_counterparts() -> list[Case]:
    """Each form of the catalogue once, with its valid payload unchanged."""
    forms = {}
    for case in CATALOGUE:
        key = (case.who, case.url, case.form, case.method, case.api)
        if case.form not in NO_VALID_PAYLOAD and key not in forms:
            forms[key] = replace(
                case, name=f"{case.who} {case.method} {case.url}", changes={}, raw=None
            )
    return [replace(case, csrf=None) for case in forms.values()]


@pytest.mark.parametrize("case", valid_counterparts(), ids=str)
def test_each_forms_valid_payload_is_saved(world, case):
    """So every case above fails for its one bad value, and for nothing else."""
    client = client_for(world, case)
    before = database_state()
    response = send(client, world, case)
    assert response.status_code < 400, shown(response, case)[:2000]
    assert database_state() != before


def test_the_catalogue_is_wide():
    """At least 40 cases across forms and the API (issue 8), with unique names."""
    names = [case.name for case in CATALOGUE]
    assert len(set(names)) == len(names)
    assert sum(not c.api for c in CATALOGUE) >= 40
    assert sum(c.api for c in CATALOGUE) >= 20


# --- Valid input that looks like markup or a formula --------------------------------


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


FORMULA = "=cmd|' /C calc'!A0"


def test_a_formula_in_a_csv_register_is_kept_as_text(world):
    """Decided: a register cell that looks like a formula is a name as the county
    typed it, stored as text; every export writes such text as text, never as a
    formula (reports.exports, tests/reports/test_exports.py)."""
    official = world.users["official"]
    record = register_import_upload(
        upload=csv_upload([row("R100", head_of_household=FORMULA)]),
        uploaded_by=official,
    )
    register_import_apply(register_import=record, user=official)
    assert Household.objects.get(registration_number="R100").head_name == FORMULA


def test_a_formula_cell_in_an_xlsx_register_is_never_evaluated(world):
    """An XLSX cell holding a formula is read for its saved value, never run: one
    saved by a program that computes nothing is empty, and the row is refused."""
    upload = xlsx_upload([row("R101", head_of_household='=HYPERLINK("http://x","y")')])
    with translation.override("en"):
        check = check_register(upload, world.users["official"])
    assert not check.ok
    assert check.error_rows[0].errors == ["Head of household: This field is required."]


def test_a_farmer_named_twice_attends_once(world):
    """A list naming one farmer twice (an API client's slip) records one attendance,
    instead of breaking the one-attendance-per-session rule (a 500)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.users["assistant"])
    farmer = world.ids["farmer"]
    body = {**world.payloads["api_training"], "farmers": [farmer, farmer]}
    created = client.post(
        "/api/training-sessions/", json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["attendees"] == [farmer]
    url = f"/api/training-sessions/{world.ids['session']}/attendance/"
    nobody, both = (json.dumps({"farmers": f}) for f in ([], [farmer, farmer]))
    assert client.put(url, nobody, content_type="application/json").status_code == 200
    again = client.put(url, both, content_type="application/json")
    assert again.status_code == 200, again.content
    assert again.json()["attendees"] == [farmer]
