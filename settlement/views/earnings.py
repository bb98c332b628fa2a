"""The farmer's earnings page (/farmer/earnings/): the pending, available and
paid-out totals, the entries with their orders, the payouts, and the payout
account, masked, with its verification state; the form to enter that account,
and the farmer's confirmation of one their assistant entered for them."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
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
from farmers.selectors import own_profile
from settlement import selectors
from settlement.forms import PayoutAccountForm, PayoutAccountVerifyForm
from settlement.services.payouts import (
    may_verify,
    payout_account_save,
    payout_account_verify,
)


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


def account_form_page(
    request, farmer, *, back: str, verify_url: str, template_context=None
):
    """The payout account form for `farmer`, entered by the farmer or their
    assistant (the service checks who may), and the account's verification, to
    whichever of the two did not enter it."""
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
    if account is not None and not account.verified:
        context["can_verify"] = may_verify(account, request.user)
        context["verify_url"] = verify_url
        context["verify_form"] = PayoutAccountVerifyForm(
            initial={"seen": account.entered_at.isoformat()}
        )
    return render(
        request, "settlement/account_form.html", context | (template_context or {})
    )


@role_required(Role.FARMER)
@require_http_methods(["GET", "POST"])
def account_edit(request):
    farmer = own_profile(request.user).first()
    if farmer is None:
        return redirect("settlement:earnings")
    return account_form_page(
        request,
        farmer,
        back="settlement:earnings",
        verify_url=reverse("settlement:account_confirm"),
    )


def verify_from(request, farmer, *, done: str) -> None:
    """Verify `farmer`'s payout account from the posted form (the version the
    verifier was shown); a refusal is a message."""
    form = PayoutAccountVerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return
    call_service(
        request,
        payout_account_verify,
        done=done,
        farmer=farmer,
        actor=request.user,
        seen=form.cleaned_data["seen"],
    )


@role_required(Role.FARMER)
@require_POST
def account_confirm(request):
    """The farmer confirms an account their assistant entered for them."""
    farmer = own_profile(request.user).first()
    if farmer is not None:
        verify_from(
            request,
            farmer,
            done=_("Payout account confirmed: you will be paid at the next run."),
        )
    return redirect("settlement:account_edit")
