"""Bad input to the catalogue: listings (new, edit, the inline price and stock),
their photos, a listing's review, the listings API, and the public catalogue's
search and API."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.bad_input.cases import (
    API_NOT_A_NUMBER,
    BAD_CHOICE,
    CSRF_PAGE,
    FAMILY,
    LISTING,
    LISTING_NEW,
    MB,
    NOT_A_NUMBER,
    NOT_A_PHOTO,
    NOT_A_WHOLE_NUMBER,
    NOT_JPEG_PNG_WEBP,
    NUL,
    OVER_5_MB,
    PHOTOS,
    QUICK,
    REJECT,
    SCRIPT,
    TOO_BIG,
    TOO_MANY_PIXELS,
    UNREADABLE,
    ZALGO,
    api,
    api_too_long,
    assert_refused_and_unchanged,
    assert_saved,
    good_photo,
    html_as_jpg,
    jpeg_over_5_mb,
    page,
    svg_with_script,
    too_long,
    valid_counterparts,
)
from tests.catalogue.test_product_images import photo, png_bomb

pytestmark = pytest.mark.django_db


# --- Crafted files and cursors ------------------------------------------------------


def truncated_jpeg():
    return SimpleUploadedFile("honey.jpg", photo().read()[:400])


def body_over_8_mb():
    return SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"0" * (8 * MB + 1))


def b64(text: str) -> str:
    """A cursor as DRF encodes one (here: forged)."""
    return base64.b64encode(text.encode()).decode()


# fmt: off
CASES = [
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
    # A listing's review (assistant).
    page("review: rejection reason with NUL", "assistant", REJECT, "reject",
         {"reason": "\x00"}, NUL),
    page("review: rejection reason over 1000", "assistant", REJECT, "reject",
         {"reason": "r" * 1001}, too_long(1000, 1001)),
    page("review: a forged version", "assistant", REJECT, "reject",
         {"version": SCRIPT}, "The listing changed while you were reviewing it."),
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
    # --- Filters and searches (GET) ------------------------------------------------
    page("catalogue: search with NUL", "anonymous", "/products/", "query",
         {"q": "\x00"}, NUL, method="get"),
    page("catalogue: minimum price NaN", "anonymous", "/products/", "query",
         {"min_price": "NaN"}, NOT_A_NUMBER, method="get"),
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


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(world, case):
    assert_refused_and_unchanged(world, case)


@pytest.mark.parametrize("case", valid_counterparts(CASES), ids=str)
def test_each_forms_valid_payload_is_saved(world, case):
    """So every case above fails for its one bad value, and for nothing else."""
    assert_saved(world, case)
