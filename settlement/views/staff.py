"""Staff pages for payouts (/staff/payouts/): the batches and their totals, running
the payouts now (after a confirmation showing who is due), a batch's payouts with
its bank file (XLSX or CSV), marking it paid, and marking one payout failed."""

import csv
import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from openpyxl import Workbook

from accounts.models import Role
from accounts.permissions import role_required
from common.spreadsheets import csv_cell, xlsx_cell
from common.web import call_service, form_error_text, paginate
from farmers.models import Farmer
from settlement import selectors
from settlement.forms import BatchPaidForm, PayoutFailedForm
from settlement.models import Payout, PayoutBatch
from settlement.services.payouts import (
    batch_mark_paid,
    payable_accounts,
    payout_fail,
    payout_run,
)


@role_required(Role.STAFF)
@require_safe
def batches(request):
    due = payable_accounts()
    context = paginate(request, selectors.batches(), 20) | {
        "due_count": due.count(),
    }
    return render(request, "settlement/batches.html", context)


def _ran(result) -> str:
    batch, held = result
    paid = (
        _("Batch %(id)s: %(n)s payouts, ¥%(total)s.")
        % {"id": batch.pk, "n": batch.payouts.count(), "total": batch.total}
        if batch
        else _("Nobody was due a payout.")
    )
    if held:
        paid += " " + _("%(n)s farmers held: no verified payout account.") % {"n": held}
    return paid


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def run(request):
    """Confirm, then run the payouts now (the weekly run does the same)."""
    if request.method == "POST":
        call_service(request, payout_run, done=_ran, actor=request.user)
        return redirect("settlement:batches")
    due = selectors.with_balances(
        Farmer.objects.filter(pk__in=payable_accounts().values("farmer"))
    ).order_by("pk")
    context = paginate(request, due, 50)
    return render(request, "settlement/run_confirm.html", context)


@role_required(Role.STAFF)
@require_safe
def batch(request, pk):
    found = get_object_or_404(selectors.batches(), pk=pk)
    context = paginate(request, selectors.batch_payouts(found), 50) | {
        "batch": found,
        "paid_form": BatchPaidForm(),
        "fail_form": PayoutFailedForm(),
    }
    return render(request, "settlement/batch.html", context)


@role_required(Role.STAFF)
@require_POST
def batch_paid(request, pk):
    found = get_object_or_404(PayoutBatch, pk=pk)
    form = BatchPaidForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
    else:
        call_service(
            request,
            batch_mark_paid,
            done=_("Batch marked paid."),
            batch=found,
            actor=request.user,
            **form.cleaned_data,
        )
    return redirect("settlement:batch", pk=found.pk)


@role_required(Role.STAFF)
@require_POST
def payout_failed(request, pk):
    found = get_object_or_404(Payout, pk=pk)
    form = PayoutFailedForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
    else:
        call_service(
            request,
            payout_fail,
            done=_("Payout marked failed; the money is back on the farmer's balance."),
            payout=found,
            actor=request.user,
            **form.cleaned_data,
        )
    return redirect("settlement:batch", pk=found.batch_id)


def bank_rows(batch: PayoutBatch):
    """The bank file's header and rows: one transfer per payout not failed."""
    header = [
        _("Payout"),
        _("Account holder"),
        _("Paid to"),
        _("Bank and branch"),
        _("Account number"),
        _("Amount (yuan)"),
        _("Memo"),
    ]
    memo = _("G platform sales, batch %(id)s") % {"id": batch.pk}
    rows = [
        [
            p.pk,
            p.holder_name,
            p.get_method_display(),
            p.bank_name,
            p.number,
            p.amount,
            memo,
        ]
        for p in batch.payouts.exclude(status="failed").order_by("pk")
    ]
    return header, rows


@role_required(Role.STAFF)
@require_safe
def batch_file(request, pk, kind):
    found = get_object_or_404(PayoutBatch, pk=pk)
    header, rows = bank_rows(found)
    name = f"payout-batch-{found.pk}.{kind}"
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows([[csv_cell(v) for v in row] for row in rows])
        # A BOM, so Excel opens the Chinese names right.
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv")
    else:
        book = Workbook()
        sheet = book.active
        sheet.title = "payouts"
        sheet.append(header)
        for row in rows:
            sheet.append([xlsx_cell(v) for v in row])
            # Account numbers are text: 19 digits do not survive as a number.
            sheet.cell(row=sheet.max_row, column=5).number_format = "@"
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
