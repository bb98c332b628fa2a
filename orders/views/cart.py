"""Cart and checkout pages: anyone may fill a cart; buyers check out, and see what
the checkout placed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
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
from accounts.throttles import throttled
from common.web import call_service, form_error_text
from orders import selectors
from orders.carts import cart_view
from orders.forms import (
    AddressForm,
    AddToCartForm,
    CheckoutForm,
    QuantityForm,
)
from orders.providers import pay_form_goes_to
from orders.providers.bank_transfer import transfer_instructions
from orders.services.cart import cart_add, cart_for, cart_set_quantity
from orders.services.checkout import address_add, checkout_place


@require_safe
def cart(request):
    address = selectors.fees_address(selectors.addresses_of(request.user), request.GET)
    view = cart_view(cart_for(request), to=address.province if address else None)
    return render(request, "orders/cart.html", {"cart": view, "address": address})


@require_POST
def cart_add_item(request):
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("orders:cart")
    call_service(
        request,
        cart_add,
        done=_("Added to your cart."),
        cart=cart_for(request, create=True),
        product_id=form.cleaned_data["product"],
        quantity=form.cleaned_data["quantity"],
    )
    return redirect("orders:cart")


@require_POST
def cart_update_item(request, product_id):
    form = QuantityForm(request.POST)
    if "remove" in request.POST:
        form = QuantityForm({"quantity": 0})
    current = cart_for(request)
    if current is None:
        return redirect("orders:cart")
    if form.is_valid():
        call_service(
            request,
            cart_set_quantity,
            cart=current,
            product_id=product_id,
            quantity=form.cleaned_data["quantity"],
        )
    else:
        messages.error(request, form_error_text(form))
    return redirect("orders:cart")


@require_http_methods(["GET", "POST"])
@throttled("checkout")
def checkout(request):
    if not request.user.is_authenticated:
        # Sign in, or sign up as a buyer, and come back; the cart follows.
        return redirect_to_login(request.get_full_path(), reverse("accounts:sign_up"))
    if request.user.role != Role.BUYER:
        messages.error(request, _("Only buyer accounts can place orders."))
        return redirect("orders:cart")
    addresses = selectors.addresses_of(request.user)
    address = selectors.fees_address(addresses, request.GET)
    view = cart_view(cart_for(request), to=address.province if address else None)
    form = CheckoutForm(
        request.POST if "place" in request.POST else None,
        addresses=addresses,
        groups=view.groups,
    )
    if form.is_bound and form.is_valid():
        # The service decides: the same key again shows the first checkout (a
        # double submit), an empty or changed cart is refused with its reasons.
        try:
            placed = checkout_place(
                buyer=request.user,
                cart=cart_for(request),
                address=form.cleaned_data["address"],
                provider=form.cleaned_data["provider"],
                idempotency_key=form.cleaned_data["idempotency_key"],
                quote=form.cleaned_data["quote"],
                pickups=form.pickups(),
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "empty":  # placed in another tab
                messages.info(request, _("Your cart is empty."))
                return redirect("orders:cart")
            for message in error.messages:  # each on its own: a list of problems
                messages.error(request, message)
            chosen = form.cleaned_data["address"].pk
            return redirect(f"{reverse('orders:checkout')}?address={chosen}")
        return redirect("orders:checkout_done", pk=placed.pk)
    if not view.lines:
        messages.info(request, _("Your cart is empty."))
        return redirect("orders:cart")
    if not form.is_bound:
        form = CheckoutForm(
            addresses=addresses,
            groups=view.groups,
            initial={"quote": view.quote, "address": address and address.pk},
        )
    address_form = AddressForm(request.POST if "add_address" in request.POST else None)
    if address_form.is_bound and address_form.is_valid():
        call_service(
            request,
            address_add,
            done=_("Address saved."),
            buyer=request.user,
            **address_form.cleaned_data,
        )
        return redirect("orders:checkout")
    context = {
        "cart": view,
        "address": address,
        "form": form,
        "address_form": address_form,
    }
    return render(request, "orders/checkout.html", context)


@role_required(Role.BUYER)
@require_safe
def checkout_done(request, pk):
    placed = get_object_or_404(
        selectors.checkouts_of(request.user).prefetch_related("orders__farmer"), pk=pk
    )
    context = {
        "checkout": placed,
        "payable": selectors.awaiting_payment(placed),
        "pay_within": settings.ORDER_PAYMENT_MINUTES,
        "transfer": transfer_instructions(placed),
    }
    response = render(request, "orders/checkout_done.html", context)
    # The pay form may be sent on to the gateway's pages (django-csp adds them).
    goes_to = pay_form_goes_to(placed)
    if goes_to:
        response._csp_update = {"form-action": goes_to}
    return response
