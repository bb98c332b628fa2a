"""The staff's payment reconciliation pages: the daily runs and the mismatches
(open unless asked, by provider), resolving one with a note, and applying a
payment the gateway took whose notification never arrived, after a
confirmation step; and the refunds that failed, owed to their buyers, each sent
again after a confirmation. Staff only (orders.selectors.mismatches_visible_to,
refunds_owed)."""

from django.contrib import messages
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
from orders import selectors
from orders.forms import MismatchResolveForm, ReconciliationFilterForm
from orders.models import Mismatch
from orders.services import reconciliation, refunds

RUNS_PER_PAGE = 10
MISMATCHES_PER_PAGE = 20
OWED_PER_PAGE = 10


@role_required(Role.STAFF)
@require_safe
def reconciliation_list(request):
    form = ReconciliationFilterForm(request.GET or None)
    mismatches = selectors.mismatches_visible_to(request.user)
    if form.is_bound and not form.is_valid():
        mismatches = mismatches.none()
    else:
        mismatches = form.filter(mismatches)
    runs = selectors.reconciliations_visible_to(request.user)
    context = {
        "form": form,
        "runs": paginate(request, runs, RUNS_PER_PAGE, param="runs"),
        "owed": paginate(
            request, selectors.refunds_owed(request.user), OWED_PER_PAGE, "owed"
        ),
        **paginate(request, mismatches, MISMATCHES_PER_PAGE),
    }
    return render(request, "orders/reconciliation.html", context)


@role_required(Role.STAFF)
@require_POST
def mismatch_resolve(request, pk):
    mismatch = get_object_or_404(selectors.mismatches_visible_to(request.user), pk=pk)
    form = MismatchResolveForm(request.POST)
    if form.is_valid():
        call_service(
            request,
            reconciliation.mismatch_resolve,
            done=_("The mismatch is resolved."),
            mismatch=mismatch,
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    else:
        messages.error(request, form_error_text(form))
    return redirect("orders:reconciliation")


@role_required(Role.STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def mismatch_apply(request, pk):
    """GET: what applying would do, and the button; POST: apply it."""
    mismatch = get_object_or_404(
        selectors.mismatches_visible_to(request.user).filter(
            kind=Mismatch.Kind.PAID_NOT_RECORDED
        ),
        pk=pk,
    )
    if request.method != "POST":
        return render(request, "orders/mismatch_apply.html", {"mismatch": mismatch})
    applied = call_service(
        request,
        reconciliation.mismatch_apply,
        done=_("Applied: the payment is recorded as its notification would have."),
        mismatch=mismatch,
        actor=request.user,
    )
    if applied is REFUSED:
        return redirect("orders:mismatch_apply", pk=pk)
    return redirect("orders:reconciliation")


@role_required(Role.STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def refund_retry(request, pk):
    """GET: the failed refund and the button; POST: send it again."""
    refund = get_object_or_404(
        selectors.refunds_owed(request.user).select_related("order__farmer"), pk=pk
    )
    if request.method != "POST":
        made = selectors.made_says_the_gateway(refund)
        return render(
            request, "orders/refund_retry.html", {"refund": refund, "made": made}
        )
    sent = call_service(
        request,
        refunds.refund_retry,
        done=_("The refund was sent again."),
        refund=refund,
        actor=request.user,
    )
    if sent is REFUSED and selectors.refunds_owed(request.user).filter(pk=pk).exists():
        return redirect("orders:refund_retry", pk=pk)
    return redirect(reverse("orders:reconciliation") + "#refunds-owed")
