"""Pages of what follows a unit order's delivery: the order's page for the unit
(accepting the goods, the invoice, the receipt, rating the supplier), the
seller side's list of unit orders with the invoice upload, and the downloads."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.models import Role
from accounts.permissions import role_required
from common.web import REFUSED, call_service, form_error_text, paginate
from procurement import selectors
from procurement.forms import AcceptanceForm, InvoiceForm, RatingForm
from procurement.receipts import ReceiptFontMissing, receipt_number, receipt_pdf
from procurement.services import acceptance, invoices, ratings

UNIT_READERS = (Role.BUYER, Role.OFFICIAL, Role.STAFF)
SELLERS = (Role.FARMER, Role.ASSISTANT, Role.STAFF)
EVERY_READER = (Role.BUYER, Role.OFFICIAL, Role.FARMER, Role.ASSISTANT, Role.STAFF)


@role_required(*UNIT_READERS)
@require_http_methods(["GET", "HEAD", "POST"])
def accept(request, pk):
    """The unit's order: how much of each line is accepted, and why and what is
    refused (refunded, the stock back); then its invoice, receipt and rating."""
    units = selectors.units_visible_to(request.user)
    unit_order = get_object_or_404(
        selectors.unit_orders_of(units).select_related("order"), pk=pk
    )
    lines = unit_order.order.lines.order_by("pk")
    form = AcceptanceForm(request.POST or None, request.FILES or None, lines=lines)
    decided = selectors.acceptance_of(unit_order)
    if request.method == "POST" and decided is None and form.is_valid():
        done = call_service(
            request,
            acceptance.order_accept,
            done=_(
                "Recorded. The accepted goods are completed; what was refused "
                "is refunded."
            ),
            unit_order=unit_order,
            actor=request.user,
            **form.decision(),
        )
        if done is not REFUSED:
            return redirect(
                reverse("procurement:unit", args=[unit_order.unit_id]) + "#orders"
            )
    is_member = unit_order.unit.members.filter(user=request.user).exists()
    rating = selectors.rating_of(unit_order)
    context = {
        "unit_order": unit_order,
        "order": unit_order.order,
        "form": form,
        "decided": decided,
        "can_decide": decided is None
        and unit_order.order.status in acceptance.DELIVERED
        and is_member,
        "invoice": selectors.invoice_of(unit_order),
        "rating": rating,
        "rating_form": RatingForm() if decided and is_member and not rating else None,
    }
    return render(request, "procurement/accept.html", context)


@role_required(Role.BUYER)
@require_POST
def rate(request, pk):
    units = selectors.units_visible_to(request.user)
    unit_order = get_object_or_404(selectors.unit_orders_of(units), pk=pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
    else:
        call_service(
            request,
            ratings.supplier_rate,
            done=_("Thank you: the supplier's rating is recorded."),
            unit_order=unit_order,
            actor=request.user,
            **form.cleaned_data,
        )
    return redirect(reverse("procurement:accept", args=[unit_order.pk]) + "#rating")


@role_required(Role.FARMER, Role.ASSISTANT)
@require_safe
def supplied(request):
    """The unit orders a farmer supplies (an assistant: their farmers'), with
    what each still needs (the invoice) and the unit's rating."""
    rows = selectors.unit_orders_supplied_by(request.user)
    return render(request, "procurement/supplied.html", paginate(request, rows, 20))


@role_required(*SELLERS)
@require_http_methods(["GET", "HEAD", "POST"])
def invoice_upload(request, pk):
    unit_order = get_object_or_404(
        selectors.unit_orders_supplied_by(request.user), pk=pk
    )
    form = InvoiceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            request,
            invoices.invoice_upload,
            done=_("The invoice is uploaded; the unit can download it now."),
            unit_order=unit_order,
            actor=request.user,
            **form.cleaned_data,
        )
        if done is not REFUSED:
            return redirect("procurement:supplied")
    context = {
        "unit_order": unit_order,
        "order": unit_order.order,
        "invoice": selectors.invoice_of(unit_order),
        "form": form,
    }
    return render(request, "procurement/invoice_upload.html", context)


@role_required(*EVERY_READER)
@require_safe
def invoice_download(request, pk):
    unit_order = get_object_or_404(
        selectors.unit_orders_visible_to(request.user), pk=pk
    )
    invoice = selectors.invoice_of(unit_order)
    if invoice is None:
        raise Http404
    extension = invoice.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        invoice.file.open("rb"),
        as_attachment=True,
        filename=f"invoice-{unit_order.order.number}.{extension}",
    )


@role_required(*EVERY_READER)
@require_safe
def receipt(request, pk):
    unit_order = get_object_or_404(
        selectors.unit_orders_visible_to(request.user), pk=pk
    )
    if unit_order.order.paid_at is None:  # a receipt is for money received
        messages.error(
            request, _("The receipt is issued once the unit's payment is received.")
        )
        return redirect("/")
    try:
        pdf = receipt_pdf(unit_order)
    except ReceiptFontMissing:
        messages.error(
            request,
            _(
                "Receipts cannot be made on this server yet: its Chinese font is "
                "missing. Please tell the platform's staff."
            ),
        )
        return redirect("/")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{receipt_number(unit_order)}.pdf"'
    )
    return response
