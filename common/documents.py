"""Document uploads (invoices): a PDF that really is one, or a photo (validated
and re-encoded as every photo is, common.images). A PDF is kept as uploaded, so
it is refused unless it parses, has pages, is not encrypted and carries nothing
that runs when opened (JavaScript, launch actions, embedded files)."""

from io import BytesIO
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from common.images import clean_photo

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_PDF_PAGES = 20
MAX_PDF_OBJECTS = 50_000
# What a viewer would run, send or unpack, as a dictionary's key or its /S or
# /Type (an action's kind): scripts, launching programs, attachments, XFA forms,
# form submission and import.
ACTIVE = {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles"} | {
    "/RichMedia",
    "/GoToE",
    "/XFA",
    "/SubmitForm",
    "/ImportData",
}
HAS_ACTIVE = gettext_lazy(
    "This PDF contains scripts or attachments; please upload a plain one."
)


def clean_document(upload) -> ContentFile:
    """Validate an uploaded PDF or photo; the file to keep."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is larger than 5 MB. Please choose a smaller one."),
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        try:
            return clean_photo(upload)
        except ValidationError as error:
            if error.code in ("format", "invalid"):
                raise ValidationError(
                    _(
                        "Please upload the invoice as a PDF, or a JPEG, PNG or "
                        "WebP photo."
                    ),
                    code="format",
                ) from error
            raise
    return ContentFile(_checked_pdf(upload.read()), name=_name(upload.name, "pdf"))


def _checked_pdf(data: bytes) -> bytes:
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("This PDF is protected by a password; please upload it without."),
                code="encrypted",
            )
        pages = len(reader.pages)
        active = _has_active_content(reader)
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 (any failure to parse is a bad file)
        raise ValidationError(
            _("This PDF cannot be read. Please save it again and upload it."),
            code="invalid",
        ) from error
    if active:
        raise ValidationError(HAS_ACTIVE, code="active_content")
    if not 1 <= pages <= MAX_PDF_PAGES:
        raise ValidationError(
            _("An invoice PDF has from 1 to %(most)s pages.") % {"most": MAX_PDF_PAGES},
            code="pages",
        )
    return data


def _has_active_content(reader: PdfReader) -> bool:
    """Whether any dictionary reachable in the file names something active: the
    whole object graph from the trailer (the catalogue, pages, annotations,
    forms, the information dictionary), following every reference whatever its
    number or generation, at most MAX_PDF_OBJECTS objects (stream data is not
    decoded)."""
    stack, seen = [reader.trailer], set()
    while stack:
        found = stack.pop()
        if isinstance(found, IndirectObject):
            key = (found.idnum, found.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_PDF_OBJECTS:
                raise ValueError("too many objects")
            stack.append(found.get_object())
        elif isinstance(found, DictionaryObject):
            if ACTIVE & set(found) or {found.get("/S"), found.get("/Type")} & ACTIVE:
                return True
            stack.extend(found.values())
        elif isinstance(found, ArrayObject):
            stack.extend(found)
    return False


def _name(original: str, extension: str) -> str:
    return f"{Path(original).stem[:40] or 'document'}.{extension}"
