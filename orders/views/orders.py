"""Order pages: the order lists of each role, the order page with its timeline and
actions, shipping, and the packing slip. Scope: orders.selectors.orders_visible_to."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import (
    require_POST,
    require_safe,
)

from accounts.models import Role
from accounts.permissions import role_required
from common.web import REFUSED, call_service, form_error_text, paginate
from orders import selectors
from orders.forms import (
    CancelForm,
    ShipForm,
)
from orders.models import OrderStatus
from orders.services import transitions

ORDERS_PER_PAGE = 20
DONE = {
    "cancel": gettext_lazy("The order is cancelled; any payment is refunded."),
    "complete": gettext_lazy("Thank you! The order is complete."),
    "deliver": gettext_lazy("Marked as delivered."),
    "refund": gettext_lazy("Refunded; the stock is back on sale."),
}


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
