"""After delivery: the seller (the farmer, or their assistant) uploads the
invoice as a PDF or a photo, validated (anything else, too large, scripted,
encrypted or unreadable: a message, nothing saved); the unit downloads it; the
platform's receipt is a PDF with the Chinese font embedded; the unit rates the
supplier once, after accepting, and the assistant reads the rating."""

import html
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from accounts.models import Role
from audit.models import AuditEvent
from notifications.messages import render
from notifications.models import Notification
from procurement.models import Invoice, SupplierRating
from tests.factories import AssignmentFactory, FarmerFactory, UserFactory
from tests.procurement.test_acceptance import (  # noqa: F401 (fixture)
    accept,
    english,
    jpeg,
    shipped,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def pdf_bytes(*, script=False, password=None, hidden=False) -> bytes:
    """A one-page PDF; `script`: it runs JavaScript when opened; `hidden`: the
    action is an object of its own and the trailer's /Size leaves it out (so a
    check of the numbered objects alone would miss it)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if script:
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert(1)"),
            }
        )
        if hidden:
            action = writer._add_object(action)
        writer._root_object[NameObject("/OpenAction")] = action
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    if hidden:
        data = re.sub(rb"/Size \d+", b"/Size 3", data)
    return data


def upload(client, unit_order, file, number="12345678"):
    url = reverse("procurement:invoice_upload", args=[unit_order.pk])
    return client.post(
        url,
        {"number": number, "issued_by": "峡江蜂蜜合作社", "file": file},
        follow=True,
    )


def stored_invoices() -> list[Path]:
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "invoices"
    return sorted(folder.rglob("*.*")) if folder.exists() else []


def test_the_farmer_uploads_a_pdf_invoice_and_the_unit_downloads_it(shipped):  # noqa: F811
    unit_order, buyer, _rice, _honey = shipped
    farmer = unit_order.order.farmer.user
    data = pdf_bytes()
    response = upload(english(farmer), unit_order, SimpleUploadedFile("发票.pdf", data))
    assert "The invoice is uploaded" in text(response)
    invoice = Invoice.objects.get(unit_order=unit_order)
    assert (invoice.number, invoice.uploaded_by) == ("12345678", farmer)
    event = AuditEvent.objects.get(action=AuditEvent.Action.UNIT_INVOICE_UPLOADED)
    assert event.after["number"] == "12345678"

    download = english(buyer).get(reverse("procurement:invoice", args=[unit_order.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert "attachment" in download["Content-Disposition"]
    page = text(english(buyer).get(reverse("procurement:accept", args=[unit_order.pk])))
    assert "The seller's invoice 12345678, issued by 峡江蜂蜜合作社" in page


def test_the_assistant_uploads_a_photo_for_their_farmer_and_no_one_else_can(
    shipped,  # noqa: F811
):
    unit_order, _buyer, _rice, _honey = shipped
    farmer = unit_order.order.farmer
    assistant = AssignmentFactory(farmer=farmer).assistant.user
    response = upload(english(assistant), unit_order, jpeg("invoice.jpg"))
    assert "The invoice is uploaded" in text(response)
    assert Invoice.objects.get().file.name.endswith(".jpg")
    other_farmer = FarmerFactory().user
    response = upload(english(other_farmer), unit_order, jpeg("invoice.jpg"))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("invoice.txt", b"just text", "Please upload the invoice as a PDF"),
        ("invoice.pdf", pdf_bytes(script=True), "contains scripts or attachments"),
        (
            "invoice.pdf",
            pdf_bytes(script=True, hidden=True),
            "contains scripts or attachments",
        ),
        ("invoice.pdf", pdf_bytes(password="secret"), "protected by a password"),
        ("invoice.pdf", pdf_bytes()[:300], "This PDF cannot be read"),
        ("invoice.pdf", b"%PDF-1.7" + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
    ],
)
def test_a_bad_invoice_file_is_refused_and_nothing_is_saved(
    shipped,  # noqa: F811
    name,
    data,
    message,
):
    unit_order, _buyer, _rice, _honey = shipped
    farmer = unit_order.order.farmer.user
    response = upload(english(farmer), unit_order, SimpleUploadedFile(name, data))
    assert message in text(response)
    assert not Invoice.objects.exists() and stored_invoices() == []


def test_a_bad_invoice_number_is_refused(shipped):  # noqa: F811
    unit_order, _buyer, _rice, _honey = shipped
    farmer = unit_order.order.farmer.user
    response = upload(
        english(farmer), unit_order, jpeg("invoice.jpg"), number="<script>"
    )
    assert "4 to 40 letters, digits or dashes" in text(response)
    assert not Invoice.objects.exists()


def test_no_invoice_for_goods_refused_whole_and_nothing_left_on_disk(shipped):  # noqa: F811
    unit_order, buyer, rice, honey = shipped
    accept(
        english(buyer), unit_order, lines={rice.title: 0, honey.title: 0}, reason="坏了"
    )
    farmer = unit_order.order.farmer.user
    response = upload(english(farmer), unit_order, jpeg("invoice.jpg"))
    assert "unless they were refused whole" in text(response)
    assert not Invoice.objects.exists() and stored_invoices() == []


def test_uploading_again_replaces_the_file_once_committed(
    shipped,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    unit_order, _buyer, _rice, _honey = shipped
    farmer = english(unit_order.order.farmer.user)
    upload(farmer, unit_order, jpeg("first.jpg"))
    first = Invoice.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        upload(
            farmer, unit_order, SimpleUploadedFile("second.pdf", pdf_bytes()), "A-0002"
        )
    invoice = Invoice.objects.get()
    assert invoice.number == "A-0002" and invoice.file.name.endswith(".pdf")
    assert [path.name for path in stored_invoices()] == [Path(invoice.file.name).name]
    assert first != invoice.file.name


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_receipt_is_a_pdf_with_the_chinese_font_embedded(shipped, language):  # noqa: F811
    unit_order, buyer, rice, _honey = shipped
    accept(english(buyer), unit_order, lines={rice.title: 92}, reason="8 bags wet")
    client = english(buyer)
    client.cookies["django_language"] = language
    response = client.get(reverse("procurement:receipt", args=[unit_order.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    fonts = page["/Resources"]["/Font"]
    descriptors = [
        fonts[name].get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        if "/DescendantFonts" in fonts[name].get_object()
        else fonts[name].get_object().get("/FontDescriptor")
        for name in fonts
    ]
    assert any(d is not None and "/FontFile2" in d.get_object() for d in descriptors)
    words = page.extract_text()
    assert unit_order.order.number in words
    if language == "zh-hans":
        assert "县第一中学" in words and "收据" in words
    else:
        assert "County No. 1 Middle School" in words and "Receipt" in words
    assert "8350.00" in words  # paid and kept: 8770.00 less 420.00 refunded


def test_the_unit_rates_the_supplier_once_after_accepting(shipped):  # noqa: F811
    unit_order, buyer, _rice, _honey = shipped
    client = english(buyer)
    url = reverse("procurement:rate", args=[unit_order.pk])
    response = client.post(url, {"stars": "5", "comment": "准时"}, follow=True)
    assert "once the goods have been accepted" in text(response)
    assert not SupplierRating.objects.exists()

    accept(client, unit_order)
    response = client.post(url, {"stars": "9"}, follow=True)
    assert "Select a valid choice" in text(response)
    assert not SupplierRating.objects.exists()
    client.post(url, {"stars": "4", "comment": "准时，包装好"}, follow=True)
    response = client.post(url, {"stars": "1"}, follow=True)
    assert "already been rated" in text(response)
    rating = SupplierRating.objects.get()
    assert (rating.stars, rating.comment, rating.rated_by) == (4, "准时，包装好", buyer)

    stranger = UserFactory(role=Role.BUYER)
    assert english(stranger).post(url, {"stars": "3"}).status_code == 404

    assistant = AssignmentFactory(farmer=unit_order.order.farmer).assistant.user
    page = text(english(assistant).get(reverse("procurement:supplied")))
    assert "Rated 4 of 5" in page and "准时，包装好" in page


def test_the_farmers_notice_of_acceptance_leads_to_the_invoice(shipped):  # noqa: F811
    unit_order, buyer, _rice, _honey = shipped
    accept(english(buyer), unit_order)
    notice = Notification.objects.get(
        recipient=unit_order.order.farmer.user, kind="unit_goods_decided"
    )
    with translation.override("en"):
        message = render(notice)
    assert "Please upload the seller's invoice" in message.text
    assert message.url == reverse("procurement:invoice_upload", args=[unit_order.pk])


def test_without_its_font_the_receipt_page_says_so_and_a_check_warns(
    shipped,  # noqa: F811
    settings,
    tmp_path,
):
    unit_order, buyer, _rice, _honey = shipped
    settings.RECEIPT_FONT = str(tmp_path / "missing.ttf")
    warned = [m.id for m in checks.run_checks() if m.id.startswith("procurement.")]
    assert warned == ["procurement.W001"]
    response = english(buyer).get(
        reverse("procurement:receipt", args=[unit_order.pk]), follow=True
    )
    assert "its Chinese font is missing" in text(response)


def test_a_file_that_is_no_font_is_the_same_message(shipped, settings, tmp_path):  # noqa: F811
    unit_order, buyer, _rice, _honey = shipped
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    settings.RECEIPT_FONT = str(broken)
    response = english(buyer).get(
        reverse("procurement:receipt", args=[unit_order.pk]), follow=True
    )
    assert "its Chinese font is missing" in text(response)


def test_no_receipt_before_the_payment_is_received(shipped):  # noqa: F811
    unit_order, buyer, _rice, _honey = shipped
    Order = type(unit_order.order)
    Order.objects.filter(pk=unit_order.order_id).update(paid_at=None)
    response = english(buyer).get(
        reverse("procurement:receipt", args=[unit_order.pk]), follow=True
    )
    assert "issued once the unit's payment is received" in text(response)
    assert response.get("Content-Type", "").startswith("text/html")
