"""The assistant's view of their farmers' money (/assistant/earnings/): each
farmer's pending and available balance and, where a payout is held, why; and the
payout account of a farmer, to enter for them, or to verify one they entered."""

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
from assistants.selectors import farmers_visible_to
from common.web import paginate
from settlement import selectors
from settlement.views.earnings import account_form_page, verify_from


@role_required(Role.ASSISTANT)
@require_safe
def farmers_money(request):
    context = paginate(request, selectors.assistant_farmers(request.user), 25)
    for farmer in context["page_obj"]:
        farmer.hold = selectors.hold_reason(farmer, farmer.available)
    return render(request, "settlement/assistant_farmers.html", context)


@role_required(Role.ASSISTANT)
@require_http_methods(["GET", "POST"])
def farmer_account(request, pk):
    farmer = get_object_or_404(farmers_visible_to(request.user), pk=pk)
    figures = selectors.earnings_of(farmer)
    return account_form_page(
        request,
        farmer,
        back="settlement:assistant_farmers",
        verify_url=reverse("settlement:assistant_verify", args=[farmer.pk]),
        template_context={"figures": figures},
    )


@role_required(Role.ASSISTANT)
@require_POST
def farmer_account_verify(request, pk):
    farmer = get_object_or_404(farmers_visible_to(request.user), pk=pk)
    verify_from(
        request,
        farmer,
        done=_("Payout account verified: the farmer will be paid at the next run."),
    )
    return redirect("settlement:assistant_farmer_account", pk=farmer.pk)
