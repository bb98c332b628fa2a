"""The farmer's earnings page (/farmer/earnings/): the pending, available and
paid-out totals, the entries with their orders, the payouts, and the payout
account, masked, with its verification state; and the form to enter that account."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Role
from accounts.permissions import role_required
from common.web import REFUSED, call_service, paginate
from farmers.selectors import own_profile
from settlement import selectors
from settlement.forms import PayoutAccountForm
from settlement.services.payouts import payout_account_save


@role_required(Role.FARMER)
@require_safe
def earnings(request):
    farmer = own_profile(request.user).first()
    if farmer is None:
        return render(request, "settlement/earnings.html", {"farmer": None})
    figures = selectors.earnings_of(farmer)
    account = selectors.payout_account_of(farmer)
    farmer.payout_account = account
    context = {
        "farmer": farmer,
        "figures": figures,
        "account": account,
        "hold": selectors.hold_reason(farmer, figures.available),
        "hold_days": settings.EARNING_HOLD_DAYS,
        "entries": paginate(request, selectors.entries_of(farmer), 20, "entries"),
        "payouts": paginate(request, selectors.payouts_of(farmer), 10, "payouts"),
    }
    return render(request, "settlement/earnings.html", context)


def account_form_page(request, farmer, *, back: str, template_context=None):
    """The payout account form for `farmer`, entered by the farmer or their
    assistant (the service checks who may)."""
    account = selectors.payout_account_of(farmer)
    initial = {}
    if account is not None:
        initial = {
            "method": account.method,
            "holder_name": account.holder_name,
            "bank_name": account.bank_name,
        }
    form = PayoutAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            request,
            payout_account_save,
            done=_(
                "Payout account saved. The assistant verifies it before the "
                "first payout."
            ),
            farmer=farmer,
            actor=request.user,
            **form.cleaned_data,
        )
        if saved is not REFUSED:
            return redirect(back)
    context = {"farmer": farmer, "form": form, "account": account, "back": back}
    return render(
        request, "settlement/account_form.html", context | (template_context or {})
    )


@role_required(Role.FARMER)
@require_http_methods(["GET", "POST"])
def account_edit(request):
    farmer = own_profile(request.user).first()
    if farmer is None:
        return redirect("settlement:earnings")
    return account_form_page(request, farmer, back="settlement:earnings")
