"""The shipping template's page, for the farmer and for their assistant (or
staff): the prices by weight or by piece, the province groups, the free
threshold, the provinces left out and whether buyers may pick up; and the
pickup points, kept by staff and the counties' officials. Scopes:
assistants.selectors.farmers_visible_to, pickup_points_visible_to."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Role
from accounts.permissions import role_required
from assistants.selectors import farmers_visible_to
from common.web import REFUSED, call_service, paginate
from farmers.selectors import own_profile
from shipping.forms import GroupFormSet, PickupPointForm, TemplateForm
from shipping.selectors import (
    groups_of,
    offers_pickup,
    pickup_points_visible_to,
    terms_for,
)
from shipping.services import Group, pickup_point_save, template_save


def _initial(terms):
    own = {
        "charge_by": terms.charge_by,
        "first": terms.first,
        "additional": terms.additional,
        "free_over": terms.free_over,
        "not_delivered": sorted(terms.not_delivered),
    }
    groups = [
        {"provinces": list(codes), "first": first, "additional": additional}
        for codes, first, additional in groups_of(terms)
    ]
    return own, groups


@role_required(Role.FARMER)
@require_safe
def own_template(request):
    """The farmer's own template (the nav's link)."""
    farmer = get_object_or_404(own_profile(request.user))
    return redirect("shipping:template", farmer_pk=farmer.pk)


@role_required(Role.FARMER, Role.ASSISTANT, Role.STAFF)
@require_http_methods(["GET", "POST"])
def shipping_template(request, farmer_pk):
    farmer = get_object_or_404(farmers_visible_to(request.user), pk=farmer_pk)
    own, groups = _initial(terms_for([farmer.pk])[farmer.pk])
    own["offers_pickup"] = offers_pickup(farmer.pk)
    posted = request.POST if request.method == "POST" else None
    form = TemplateForm(posted, initial=own)
    formset = GroupFormSet(posted, initial=groups, prefix="group")
    if posted is not None and form.is_valid() and formset.is_valid():
        kept = [
            Group(tuple(row["provinces"]), row["first"], row["additional"])
            for row in formset.cleaned_data
            if row and row.get("provinces") and not row.get("DELETE")
        ]
        saved = call_service(
            request,
            template_save,
            done=_("The shipping fees are saved."),
            farmer=farmer,
            actor=request.user,
            groups=kept,
            **form.cleaned_data,
        )
        if saved is not REFUSED:
            return redirect("shipping:template", farmer_pk=farmer.pk)
    elif posted is not None:
        messages.error(request, _("Check the marked fields."))
    context = {"farmer": farmer, "form": form, "formset": formset}
    return render(request, "shipping/template.html", context)


@role_required(Role.OFFICIAL, Role.STAFF)
@require_safe
def pickup_points(request):
    points = pickup_points_visible_to(request.user)
    return render(request, "shipping/points.html", paginate(request, points))


@role_required(Role.OFFICIAL, Role.STAFF)
@require_http_methods(["GET", "POST"])
def pickup_point_edit(request, pk=None):
    point = (
        get_object_or_404(pickup_points_visible_to(request.user), pk=pk)
        if pk is not None
        else None
    )
    form = PickupPointForm(request.POST or None, instance=point, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            request,
            pickup_point_save,
            done=_("The pickup point is saved."),
            actor=request.user,
            point=point,
            **form.cleaned_data,
        )
        if saved is not REFUSED:
            return redirect("shipping:points")
    return render(request, "shipping/point.html", {"form": form, "point": point})
