"""Bad input to the farmers app: the storefront (its texts, phone and cover photo),
the register import (the upload, a file with bad rows, cells that look like
formulas) and a household leaving the register."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from farmers.models import Household
from farmers.register_import import check_register
from farmers.services import register_import_apply, register_import_upload
from tests.bad_input.cases import (
    BAD_MOBILE,
    BAD_SLUG,
    CSRF_PAGE,
    EXIT,
    IMPORT,
    MB,
    NOT_A_DATE,
    NOT_A_PHOTO,
    NOT_JPEG_PNG_WEBP,
    NUL,
    OVER_5_MB,
    SCRIPT,
    STOREFRONT,
    TOO_MANY_PIXELS,
    UNREADABLE,
    ZWSP,
    assert_refused_and_unchanged,
    assert_saved,
    html_as_jpg,
    jpeg_over_5_mb,
    page,
    svg_with_script,
    too_long,
    valid_counterparts,
)
from tests.catalogue.test_product_images import photo, png_bomb
from tests.farmers.test_register_import import csv_upload, row, xlsx_upload

pytestmark = pytest.mark.django_db


# --- Crafted registers --------------------------------------------------------------


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


# fmt: off
CASES = [
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
    # A household leaving the register (assistant).
    page("exit: 30 February", "assistant", EXIT, "exit",
         {"exited_on": "2026-02-30"}, NOT_A_DATE),
    page("exit: 'tomorrow'", "assistant", EXIT, "exit",
         {"exited_on": "tomorrow"}, NOT_A_DATE),
    page("exit: in the future", "assistant", EXIT, "exit",
         {"exited_on": "2999-12-31"}, "The exit date cannot be in the future."),
    page("exit: a reason of 1 MB", "assistant", EXIT, "exit",
         {"reason": "r" * MB}, too_long(1000, MB)),
]
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(world, case):
    assert_refused_and_unchanged(world, case)


@pytest.mark.parametrize("case", valid_counterparts(CASES), ids=str)
def test_each_forms_valid_payload_is_saved(world, case):
    """So every case above fails for its one bad value, and for nothing else."""
    assert_saved(world, case)


# --- Valid input that looks like a formula ------------------------------------------

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
