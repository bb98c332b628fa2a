"""The assistant's view of their farmers' money (/assistant/earnings/): each
farmer's pending and available balance and, where a payout is held, why; and the
payout account of a farmer, to enter for them or to verify."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.models import Role
from accounts.permissions import role_required
from assistants.selectors import farmers_visible_to
from common.web import call_service, paginate
from settlement import selectors
from settlement.services.payouts import payout_account_verify
from settlement.views.earnings import account_form_page


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
        template_context={"figures": figures, "can_verify": True},
    )


@role_required(Role.ASSISTANT)
@require_POST
def farmer_account_verify(request, pk):
    farmer = get_object_or_404(farmers_visible_to(request.user), pk=pk)
    call_service(
        request,
        payout_account_verify,
        done=_("Payout account verified: the farmer will be paid at the next run."),
        farmer=farmer,
        actor=request.user,
    )
    return redirect("settlement:assistant_farmer_account", pk=farmer.pk)
