"""The farmer's home on the phone: orders to ship, this month's figures, and the
listings that need attention."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.models import Role
from accounts.permissions import role_required
from catalogue.selectors import attention_counts, needing_attention
from farmers.selectors import own_profile
from orders import selectors

HOME_ROWS = 5


@role_required(Role.FARMER)
@require_safe
def farmer_home(request):
    """The farmer's home on the phone: orders to ship (the oldest payment, so the
    overdue ones, first), this month's figures, listings that need attention."""
    farmer = own_profile(request.user).first()
    context = {"farmer": farmer}
    if farmer is not None:
        context |= {
            "figures": selectors.month_figures(request.user),
            "to_ship": list(selectors.to_ship(request.user)[:HOME_ROWS]),
            "attention": list(needing_attention(request.user)[:HOME_ROWS]),
            "attention_counts": attention_counts(request.user),
        }
    return render(request, "orders/farmer_home.html", context)
