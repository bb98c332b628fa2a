"""A unit's staff shopping for themselves toward its total: its admins make the
staff link, and a buyer who opens it starts (or stops) shopping as its staff."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.permissions import role_required
from common.web import REFUSED, call_service
from procurement import selectors
from procurement.services import staff
from procurement.views.links import link_page


@role_required(Role.BUYER, Role.STAFF)
@require_POST
def staff_link_make(request, pk):
    """An admin makes the unit's staff link (replacing the old); shown once."""
    unit = get_object_or_404(selectors.units_visible_to(request.user), pk=pk)
    token = call_service(request, staff.staff_link_make, unit=unit, actor=request.user)
    if token is REFUSED:
        return redirect("procurement:unit", pk=unit.pk)
    path = reverse("procurement:staff_join", args=[token])
    shown = _("Staff shopping for themselves")
    return link_page(request, unit, path=path, shown=shown, reusable=True)


@require_http_methods(["GET", "HEAD", "POST"])
def staff_join(request, token):
    """The staff link: a signed-in buyer starts shopping as the unit's staff, or
    stops; anyone else is told to sign up or sign in first."""
    unit = selectors.unit_by_staff_link(token)
    if unit is None:
        return render(request, "procurement/staff_join.html", {}, status=404)
    if request.method == "POST" and request.user.is_authenticated:
        if request.POST.get("stop"):
            call_service(
                request,
                staff.staff_leave,
                done=_("Your next orders count toward no unit."),
                user=request.user,
            )
        else:
            call_service(
                request,
                staff.staff_join,
                done=_("From now on, what you buy counts toward %(unit)s.")
                % {"unit": unit},
                unit=unit,
                user=request.user,
            )
        return redirect("procurement:staff_join", token=token)
    context = {
        "unit": unit,
        "shops_for": selectors.staff_unit_of(request.user),
        "here": request.path,
    }
    return render(request, "procurement/staff_join.html", context)
