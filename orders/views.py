"""Order pages: cart and checkout (anyone may fill a cart; buyers check out), the
order lists of each role, the order page with its timeline and actions, and the
packing slip. Scope: orders.selectors.orders_visible_to."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.models import Role
from accounts.permissions import role_required
from accounts.throttles import throttled
from assistants.selectors import farmers_visible_to
from catalogue.selectors import attention_counts, needing_attention
from common.web import REFUSED, call_service, form_error_text, paginate
from orders import selectors, transitions
from orders.cart import cart_add, cart_for, cart_set_quantity, cart_view
from orders.checkout import address_add, checkout_place
from orders.forms import (
    AddressForm,
    AddToCartForm,
    CancelForm,
    CheckoutForm,
    QuantityForm,
    ShipForm,
)
from orders.models import OrderStatus
from orders.payments import payment_start

ORDERS_PER_PAGE = 20
DONE = {
    "cancel": gettext_lazy("The order is cancelled; any payment is refunded."),
    "complete": gettext_lazy("Thank you! The order is complete."),
    "deliver": gettext_lazy("Marked as delivered."),
    "refund": gettext_lazy("Refunded; the stock is back on sale."),
}


@require_safe
def cart(request):
    view = cart_view(cart_for(request))
    return render(request, "orders/cart.html", {"cart": view})


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
    form = CheckoutForm(
        request.POST if "place" in request.POST else None, addresses=addresses
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
            )
        except ValidationError as error:
            for message in error.messages:  # each on its own: a list of problems
                messages.error(request, message)
            return redirect("orders:checkout")
        return redirect("orders:checkout_done", pk=placed.pk)
    view = cart_view(cart_for(request))
    if not view.lines:
        messages.info(request, _("Your cart is empty."))
        return redirect("orders:cart")
    if not form.is_bound:
        form = CheckoutForm(addresses=addresses, initial={"quote": view.quote})
    address_form = AddressForm(request.POST if "add_address" in request.POST else None)
    if address_form.is_bound and address_form.is_valid():
        address_add(buyer=request.user, **address_form.cleaned_data)
        messages.success(request, _("Address saved."))
        return redirect("orders:checkout")
    context = {"cart": view, "form": form, "address_form": address_form}
    return render(request, "orders/checkout.html", context)


@role_required(Role.BUYER)
@require_safe
def checkout_done(request, pk):
    placed = get_object_or_404(
        selectors.checkouts_of(request.user).prefetch_related("orders__farmer"), pk=pk
    )
    try:
        pay_url = payment_start(checkout=placed)
    except ValidationError:
        pay_url = None
    context = {
        "checkout": placed,
        "pay_url": pay_url,
        "pay_within": settings.ORDER_PAYMENT_MINUTES,
    }
    return render(request, "orders/checkout_done.html", context)


@role_required(Role.BUYER)
@require_safe
def home(request):
    """The buyer's order history."""
    orders = selectors.for_list(selectors.orders_visible_to(request.user))
    return render(
        request, "orders/buyer_orders.html", paginate(request, orders, ORDERS_PER_PAGE)
    )


@role_required(Role.FARMER, Role.STAFF)
@require_safe
def to_ship(request):
    """The farmer's orders: to ship (oldest first), or all of them."""
    show_all = request.GET.get("show") == "all"
    orders = (
        selectors.for_list(selectors.orders_visible_to(request.user))
        if show_all
        else selectors.to_ship(request.user)
    )
    context = {"show_all": show_all, **paginate(request, orders, ORDERS_PER_PAGE)}
    return render(request, "orders/farmer_orders.html", context)


@role_required(Role.ASSISTANT, Role.OFFICIAL, Role.STAFF)
@require_safe
def farmers_orders(request):
    """The orders of the farmers an assistant manages; overdue ones highlighted."""
    status = request.GET.get("status", "")
    orders = selectors.for_list(selectors.orders_visible_to(request.user))
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    context = {
        "status": status,
        "statuses": OrderStatus.choices,
        **paginate(request, orders, ORDERS_PER_PAGE),
    }
    return render(request, "orders/farmers_orders.html", context)


@require_safe
def detail(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    order = get_object_or_404(selectors.order_detail(request.user, pk))
    context = {
        "order": order,
        "actions": transitions.actions_for(order, request.user),
        "ship_form": ShipForm(),
        "cancel_form": CancelForm(),
    }
    return render(request, "orders/detail.html", context)


@require_POST
def act(request, pk, action):
    """Cancel, confirm receipt, mark delivered or refund (the order page's buttons)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("orders:detail", args=[pk]))
    order = get_object_or_404(selectors.orders_visible_to(request.user), pk=pk)
    services = {
        "cancel": transitions.order_cancel,
        "complete": transitions.order_complete,
        "deliver": transitions.order_deliver,
        "refund": transitions.order_refund,
    }
    form = CancelForm(request.POST)
    if action not in services:
        messages.error(request, _("This action is not possible."))
    elif not form.is_valid():
        messages.error(request, form_error_text(form))
    else:
        with_note = action in ("cancel", "refund")
        extra = {"note": form.cleaned_data["note"]} if with_note else {}
        call_service(
            request,
            services[action],
            done=DONE[action],
            order=order,
            actor=request.user,
            **extra,
        )
    return redirect("orders:detail", pk=pk)


@role_required(Role.FARMER, Role.STAFF)
@require_POST
def ship(request, pk):
    order = get_object_or_404(selectors.orders_visible_to(request.user), pk=pk)
    form = ShipForm(request.POST)
    if form.is_valid():
        shipped = call_service(
            request,
            transitions.order_ship,
            done=_("Shipped. The buyer has been told."),
            order=order,
            actor=request.user,
            **form.cleaned_data,
        )
        if shipped is not REFUSED:
            return redirect("orders:to_ship")
    else:
        messages.error(request, form_error_text(form))
    return redirect("orders:detail", pk=pk)


@role_required(Role.FARMER, Role.STAFF)
@require_safe
def packing_slip(request, pk):
    order = get_object_or_404(selectors.order_detail(request.user, pk))
    return render(request, "orders/packing_slip.html", {"order": order})


# Rows of each list on the farmer's home; "see all" opens the full, paged list.
HOME_ROWS = 5


@role_required(Role.FARMER)
@require_safe
def farmer_home(request):
    """The farmer's home on the phone: orders to ship (the oldest payment, so the
    overdue ones, first), this month's figures, listings that need attention."""
    farmer = farmers_visible_to(request.user).first()
    context = {"farmer": farmer}
    if farmer is not None:
        context |= {
            "figures": selectors.month_figures(request.user),
            "to_ship": list(selectors.to_ship(request.user)[:HOME_ROWS]),
            "attention": list(needing_attention(request.user)[:HOME_ROWS]),
            "attention_counts": attention_counts(request.user),
        }
    return render(request, "orders/farmer_home.html", context)
