"""The platform's receipt for a unit's order, as a PDF (ReportLab), in the
reader's language, with the Chinese font of RECEIPT_FONT embedded (a subset of
its glyphs) so that it prints the same on any machine: who bought, from whom,
each line as ordered and as accepted, what was refunded, and how it was paid."""

from decimal import Decimal
from functools import cache
from io import BytesIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from catalogue.models import ProductUnit
from common.money import to_fen
from orders.models import PaymentStatus, Refund
from orders.providers.bank_transfer import transfer_reference
from procurement.checks import font_available
from procurement.models import UnitOrder

FONT = "ReceiptFont"


class ReceiptFontMissing(Exception):
    """RECEIPT_FONT names no font ReportLab can embed: no receipt can be made."""


@cache
def _font(path: str, index: int) -> str:
    pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=index))
    return FONT


def receipt_number(unit_order: UnitOrder) -> str:
    return f"R{unit_order.order.number}"


def receipt_pdf(unit_order: UnitOrder) -> bytes:
    if not font_available():
        raise ReceiptFontMissing(settings.RECEIPT_FONT)
    try:
        font = _font(settings.RECEIPT_FONT, settings.RECEIPT_FONT_INDEX)
    except Exception as error:  # noqa: BLE001 (not a font ReportLab can embed)
        raise ReceiptFontMissing(settings.RECEIPT_FONT) from error
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=22)
    out = BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=_("Receipt %(number)s") % {"number": receipt_number(unit_order)},
        author=str(_("Poverty-alleviation marketplace")),
        leftMargin=18 * mm,
        rightMargin=18 * mm,
    )
    story = [
        Paragraph(escape(_("Receipt for a work unit's order")), title),
        Spacer(1, 4 * mm),
        _facts(unit_order, font),
        Spacer(1, 6 * mm),
        _lines(unit_order, font),
        Spacer(1, 6 * mm),
        Paragraph(
            escape(
                _(
                    "Issued by the platform on %(day)s. The seller's own invoice is "
                    "a separate document."
                )
                % {"day": timezone.localdate().isoformat()}
            ),
            body,
        ),
    ]
    document.build(story)
    return out.getvalue()


def _facts(unit_order: UnitOrder, font: str) -> Table:
    order = unit_order.order
    payment = order.checkout.payments.filter(status=PaymentStatus.PAID).first()
    paid = (
        _("%(day)s, by bank transfer (quoted %(quoted)s, bank reference %(bank)s)")
        % {
            "day": timezone.localtime(payment.paid_at).date().isoformat(),
            "quoted": transfer_reference(payment),
            "bank": payment.transaction_id,
        }
        if payment and payment.paid_at
        else _("Not paid yet")
    )
    rows = [
        (_("Receipt number"), receipt_number(unit_order)),
        (_("Work unit"), unit_order.unit.shown),
        (_("Contract or purchase-order reference"), unit_order.purchase_reference),
        (_("Order"), order.number),
        (_("Seller"), order.farmer.shop_name),
        (_("Placed"), timezone.localtime(order.placed_at).date().isoformat()),
        (_("Paid"), paid),
        (_("Delivered to"), f"{order.recipient} · {order.shipping_address}"),
    ]
    decided = getattr(unit_order, "acceptance", None)
    if decided is not None:
        rows.append(
            (_("Accepted"), timezone.localtime(decided.decided_at).date().isoformat())
        )
    cell = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=13)
    label = ParagraphStyle("label", parent=cell, textColor=colors.HexColor("#555555"))
    rows = [
        (Paragraph(escape(str(name)), label), Paragraph(escape(str(value)), cell))
        for name, value in rows
    ]
    table = Table(rows, colWidths=[48 * mm, 126 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _lines(unit_order: UnitOrder, font: str) -> Table:
    order = unit_order.order
    decided = getattr(unit_order, "acceptance", None)
    accepted = (
        {row.line_id: row.accepted for row in decided.lines.all()} if decided else {}
    )
    cell = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=13)
    header = (_("Product"), _("Ordered"), _("Accepted"), _("Unit price"), _("Amount"))
    rows = [header]
    units = dict(ProductUnit.choices)
    for line in order.lines.order_by("pk"):
        kept = accepted.get(line.pk, line.quantity)
        unit = units.get(line.unit, line.unit)
        rows.append(
            (
                Paragraph(escape(line.title), cell),
                f"{line.quantity} {unit}",
                f"{kept} {unit}",
                f"¥{line.unit_price}",
                f"¥{to_fen(kept * line.unit_price)}",
            )
        )
    refunded = Refund.objects.filter(order=order, retry_of__isnull=True).aggregate(
        total=Sum("amount")
    )["total"] or Decimal(0)
    rows += [
        ("", "", "", _("Order total"), f"¥{order.total}"),
        ("", "", "", _("Refunded"), f"¥{to_fen(refunded)}"),
        ("", "", "", _("Paid and kept"), f"¥{to_fen(order.total - refunded)}"),
    ]
    table = Table(
        rows, colWidths=[70 * mm, 24 * mm, 24 * mm, 28 * mm, 28 * mm], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9.5),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("LINEABOVE", (0, -3), (-1, -3), 0.4, colors.grey),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table
