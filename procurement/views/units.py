"""Pages of work units (/units/): a buyer's unit (its budget and reserved share
for the year, its orders, members and open invitations; admins manage them),
the units staff and officials may see, registering one (staff), joining by
link, the unit's checkout, the bank transfers staff record and the refunds
they send back. What follows
delivery is procurement.views.deliveries."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.models import Role
from accounts.permissions import role_required
from common.web import REFUSED, call_service, paginate
from orders.carts import cart_view
from orders.dues import pay_by
from orders.providers.bank_transfer import platform_account, transfer_reference
from orders.selectors import addresses_of, fees_address
from orders.services.cart import cart_for
from orders.services.transfers import transfer_received, transfer_refund_sent
from procurement import selectors
from procurement.forms import (
    BudgetForm,
    InviteForm,
    TransferReceivedForm,
    TransferRefundSentForm,
    UnitCheckoutForm,
    UnitRegisterForm,
    UnitTermsForm,
)
from procurement.models import UnitRole, WorkUnit
from procurement.services import units
from procurement.views.links import link_page

UNIT_READERS = (Role.BUYER, Role.OFFICIAL, Role.STAFF)


def _unit_page(request, unit, **extra):
    """The unit's page; `extra` may hold a posted form with its errors."""
    year = timezone.localdate().year
    quota = selectors.quota_progress(unit, year)
    context = {
        "unit": unit,
        "year": year,
        "quota": quota,
        "share_percent": quota.share * 100,
        "is_admin": selectors.manages(unit, request.user),
        "can_report": selectors.units_reported_to(request.user)
        .filter(pk=unit.pk)
        .exists(),
        "invites": selectors.invites_open(unit),
        "invite_form": extra.pop("invite_form", None) or InviteForm(),
        "budget_form": extra.pop("budget_form", None)
        or BudgetForm(initial={"year": year, "amount": quota.budget}),
        **paginate(request, selectors.members_of(unit), 25),
        "orders": paginate(request, selectors.unit_orders(unit), 10, "orders"),
        "dues": _with_days(
            paginate(request, selectors.account_payments_of(unit), 10, "dues")
        ),
        "bank": platform_account(),
        "staff_shoppers": unit.staff_shoppers.count(),
        "sets_terms": request.user.role == Role.STAFF,
        "terms_form": UnitTermsForm(initial={"pays_on_account": unit.pays_on_account}),
    }
    return render(request, "procurement/unit.html", context)


def _with_days(context: dict) -> dict:
    """Each payment of the page with the unit it is for (one query for the
    page), the reference to quote, the day it falls due on account and whether
    that day has passed."""
    today = timezone.localdate()
    page = context["page_obj"]
    units = WorkUnit.objects.in_bulk({getattr(p, "unit_id", None) for p in page})
    for payment in page:
        payment.unit = units.get(getattr(payment, "unit_id", None))
        payment.quoted = transfer_reference(payment)
        payment.pay_by = pay_by(payment)
        payment.overdue = payment.pay_by is not None and payment.pay_by < today
    return context


@role_required(Role.BUYER)
@require_safe
def home(request):
    """A buyer's unit; a buyer in none is told how to join one."""
    member = selectors.membership_of(request.user)
    if member is None:
        return render(request, "procurement/no_unit.html")
    return _unit_page(request, member.unit)


@role_required(Role.OFFICIAL, Role.STAFF)
@require_safe
def unit_list(request):
    units = selectors.units_visible_to(request.user).order_by("county", "name", "pk")
    return render(request, "procurement/unit_list.html", paginate(request, units, 25))


@role_required(*UNIT_READERS)
@require_safe
def unit(request, pk):
    return _unit_page(
        request, get_object_or_404(selectors.units_visible_to(request.user), pk=pk)
    )


def _link_page(request, unit, role: str, token: str):
    path = reverse("procurement:join", args=[token])
    return link_page(request, unit, path=path, shown=UnitRole(role).label)


@role_required(Role.STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def unit_new(request):
    """Staff register a unit; the answer is its first admin's link (shown once)."""
    form = UnitRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = call_service(
            request, units.unit_register, actor=request.user, **form.cleaned_data
        )
        if made is not REFUSED:
            unit, token = made
            return _link_page(request, unit, UnitRole.ADMIN, token)
    return render(request, "procurement/unit_new.html", {"form": form})


@role_required(Role.BUYER, Role.STAFF)
@require_POST
def invite_new(request, pk):
    """An admin invites someone; the answer is the link, shown this once."""
    unit = get_object_or_404(selectors.units_visible_to(request.user), pk=pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _unit_page(request, unit, invite_form=form)
    token = call_service(
        request,
        units.invite_create,
        unit=unit,
        actor=request.user,
        **form.cleaned_data,
    )
    if token is REFUSED:
        return redirect("procurement:unit", pk=unit.pk)
    return _link_page(request, unit, form.cleaned_data["role"], token)


@role_required(Role.BUYER, Role.STAFF)
@require_POST
def invite_withdraw(request, pk, invite_pk):
    unit = get_object_or_404(selectors.units_visible_to(request.user), pk=pk)
    invite = get_object_or_404(selectors.invites_open(unit), pk=invite_pk)
    call_service(
        request,
        units.invite_withdraw,
        done=_("The invitation was withdrawn: its link no longer works."),
        invite=invite,
        actor=request.user,
    )
    return redirect(reverse("procurement:unit", args=[unit.pk]) + "#invites")


@role_required(Role.BUYER, Role.STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def member_remove(request, pk, member_pk):
    """GET: who is to be removed, and the button; POST: remove them."""
    unit = get_object_or_404(selectors.units_visible_to(request.user), pk=pk)
    member = get_object_or_404(selectors.members_of(unit), pk=member_pk)
    if not selectors.manages(unit, request.user):
        messages.error(request, _("Only the unit's admins can do this."))
        return redirect("procurement:unit", pk=unit.pk)
    if request.method != "POST":
        return render(
            request, "procurement/member_remove.html", {"unit": unit, "member": member}
        )
    removed = call_service(
        request,
        units.member_remove,
        done=_("%(name)s no longer belongs to the unit.") % {"name": member.user},
        member=member,
        actor=request.user,
    )
    if removed is REFUSED or member.user_id != request.user.pk:
        return redirect(reverse("procurement:unit", args=[unit.pk]) + "#members")
    return redirect("procurement:home")


@role_required(Role.BUYER, Role.STAFF)
@require_POST
def budget_set(request, pk):
    unit = get_object_or_404(selectors.units_visible_to(request.user), pk=pk)
    form = BudgetForm(request.POST)
    if not form.is_valid():
        return _unit_page(request, unit, budget_form=form)
    year = form.cleaned_data["year"]
    call_service(
        request,
        units.budget_set,
        done=_("The budget for %(year)s is saved.") % {"year": year},
        unit=unit,
        year=year,
        amount=form.cleaned_data["amount"],
        actor=request.user,
    )
    return redirect("procurement:unit", pk=unit.pk)


@role_required(Role.STAFF)
@require_POST
def terms_set(request, pk):
    """Staff decide whether the unit may pay on account."""
    unit = get_object_or_404(selectors.units_visible_to(request.user), pk=pk)
    form = UnitTermsForm(request.POST)
    if form.is_valid():
        call_service(
            request,
            units.unit_terms_set,
            done=_("Saved: how the unit pays."),
            unit=unit,
            actor=request.user,
            **form.cleaned_data,
        )
    return redirect("procurement:unit", pk=unit.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def join(request, token):
    """An invitation's link: the unit and the role; a signed-in buyer joins with
    the button, anyone else is told to sign up or sign in first."""
    invite = selectors.invite_by_token(token)
    if invite is None:
        return render(request, "procurement/join.html", {"invite": None}, status=404)
    if request.method == "POST" and request.user.is_authenticated:
        joined = call_service(
            request,
            units.invite_accept,
            done=_("Welcome: you now belong to %(unit)s.") % {"unit": invite.unit},
            invite=invite,
            user=request.user,
        )
        if joined is not REFUSED:
            return redirect("procurement:home")
        return redirect("procurement:join", token=token)
    context = {
        "invite": invite,
        "role_shown": UnitRole(invite.role).label,
        "here": request.path,
    }
    return render(request, "procurement/join.html", context)


@role_required(Role.BUYER)
@require_http_methods(["GET", "HEAD", "POST"])
def unit_checkout(request):
    """The buyer's cart placed for their unit: the address, the delivery date and
    the contract or purchase-order reference; paid by company bank transfer,
    before shipping or on account."""
    member = selectors.membership_of(request.user)
    if member is None:
        return render(request, "procurement/no_unit.html")
    addresses = addresses_of(request.user)
    address = fees_address(addresses, request.GET)
    ways = units.payment_ways(member.unit)
    form = UnitCheckoutForm(request.POST or None, addresses=addresses, ways=ways)
    if form.is_bound and form.is_valid():
        try:
            placed = units.unit_order_place(
                member=member, cart=cart_for(request), **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            chosen = form.cleaned_data["address"].pk
            return redirect(f"{reverse('procurement:checkout')}?address={chosen}")
        return redirect("orders:checkout_done", pk=placed.pk)
    view = cart_view(cart_for(request), to=address.province if address else None)
    if not view.lines:
        messages.info(request, _("Your cart is empty."))
        return redirect("orders:cart")
    if not form.is_bound:
        form = UnitCheckoutForm(
            addresses=addresses,
            ways=ways,
            initial={"quote": view.quote, "address": address and address.pk},
        )
    context = {"cart": view, "form": form, "unit": member.unit, "address": address}
    return render(request, "procurement/checkout.html", context)


@role_required(Role.STAFF)
@require_safe
def transfers(request):
    context = _with_days(
        paginate(request, selectors.transfers_awaited(request.user), 25)
    )
    return render(request, "procurement/transfers.html", context)


@role_required(Role.STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def transfer_receive(request, pk):
    """GET: the transfer awaited and the form; POST: record it as received."""
    payment = get_object_or_404(selectors.transfers_awaited(request.user), pk=pk)
    form = TransferReceivedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            request,
            transfer_received,
            done=_("The transfer is recorded: the orders are paid for.")
            if payment.decided_at
            else _("The transfer is recorded: the orders are paid and can ship."),
            payment=payment,
            actor=request.user,
            **form.cleaned_data,
        )
        if done is not REFUSED:
            return redirect("procurement:transfers")
    context = {
        "payment": payment,
        "reference": transfer_reference(payment),
        "pay_by": pay_by(payment),
        "unit": WorkUnit.objects.filter(pk=payment.unit_id).first(),
        "form": form,
    }
    return render(request, "procurement/transfer_receive.html", context)


@role_required(Role.STAFF)
@require_safe
def transfer_refunds(request):
    """Refunds of bank transfers to send back to the units' accounts."""
    context = paginate(request, selectors.transfer_refunds_to_send(request.user), 25)
    return render(request, "procurement/transfer_refunds.html", context)


@role_required(Role.STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def transfer_refund_send(request, pk):
    """GET: the refund to send back and the form; POST: record it as sent."""
    refund = get_object_or_404(selectors.transfer_refunds_to_send(request.user), pk=pk)
    form = TransferRefundSentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            request,
            transfer_refund_sent,
            done=_("Recorded: the refund was sent back to the unit."),
            refund=refund,
            actor=request.user,
            **form.cleaned_data,
        )
        if done is not REFUSED:
            return redirect("procurement:transfer_refunds")
    context = {"refund": refund, "form": form}
    return render(request, "procurement/transfer_refund_send.html", context)
