"""Assistant pages (my farmers, onboarding, the set-password link, verification
and register exits, the on-behalf record, listing review) and the officials'
assignment page. Views validate, call a service and render; scope comes from
selectors. The dashboard and the household file are the field work's
(fieldwork.views)."""

import re

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.models import Role
from accounts.permissions import role_required
from accounts.selectors import password_setup_path
from assistants.forms import AssignForm, OnboardFarmerForm
from assistants.selectors import (
    assignments_in_force,
    assistant_of,
    assistants_visible_to,
    farmers_visible_to,
    households_open_for_onboarding,
)
from assistants.services import NewFarmer, assignments_assign_in_bulk, farmer_onboard
from audit.selectors import events_visible_to
from common.web import IdConverter, call_service, form_error_text, paginate
from counties.selectors import counties_visible_to
from farmers.forms import HouseholdForm, RegisterExitForm
from farmers.selectors import password_link_texts, search_farmers
from farmers.services import (
    farmer_password_reset,
    farmer_verify,
    household_exit_register,
    password_link_text,
)

PEOPLE_MANAGERS = (Role.ASSISTANT, Role.OFFICIAL, Role.STAFF)


@role_required(Role.ASSISTANT)
@require_safe
def farmer_list(request):
    search = request.GET.get("q", "")
    farmers = search_farmers(farmers_visible_to(request.user), search)
    context = {"search": search, **paginate(request, farmers)}
    return render(request, "assistants/farmer_list.html", context)


@role_required(Role.ASSISTANT)
@require_http_methods(["GET", "POST"])
def farmer_new(request):
    assistant = assistant_of(request.user)
    if assistant is None:
        return render(request, "assistants/no_profile.html", status=403)
    data = request.POST or None
    form = OnboardFarmerForm(
        data, households=households_open_for_onboarding(request.user), prefix="farmer"
    )
    household_form = HouseholdForm(
        data, villages=assistant.county.villages.all(), prefix="household"
    )
    if request.method == "POST":
        farmer_ok = form.is_valid()
        new_household = form.needs_new_household
        household_ok = household_form.is_valid() if new_household else True
        if farmer_ok and household_ok:
            cleaned = form.cleaned_data
            try:
                farmer = farmer_onboard(
                    assistant=assistant,
                    farmer=NewFarmer(
                        username=cleaned["username"],
                        full_name=cleaned["full_name"],
                        phone=cleaned["phone"],
                        shop_name=cleaned["shop_name"],
                        slug=cleaned["slug"],
                    ),
                    household=None if new_household else cleaned["existing_household"],
                    new_household=household_form.cleaned_data
                    if new_household
                    else None,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("%(name)s is registered and assigned to you.")
                    % {"name": farmer.name},
                )
                return redirect("assistants:farmer_link", pk=farmer.pk)
    context = {"form": form, "household_form": household_form}
    return render(request, "assistants/farmer_new.html", context)


@role_required(*PEOPLE_MANAGERS)
@require_safe
def on_behalf_list(request):
    """The audit trail of work done for and about farmers, in the user's scope
    (assistants: their farmers'); officials filter it by assistant."""
    events = events_visible_to(request.user)
    actor = request.GET.get("by", "")
    if re.fullmatch(IdConverter.regex, actor):
        events = events.filter(actor_id=actor)
    context = {
        "assistants": assistants_visible_to(request.user).select_related("user"),
        "by": actor,
        **paginate(request, events, 50),
    }
    return render(request, "assistants/on_behalf.html", context)


@role_required(Role.ASSISTANT, Role.STAFF)
@require_http_methods(["GET", "POST"])
def farmer_link(request, pk):
    """The farmer's one-time set-password link, as text and QR code, and the last
    time it was texted (farmer_link_text). A POST
    (after confirmation) clears a forgotten password so a new link can be given."""
    farmer = get_object_or_404(farmers_visible_to(request.user), pk=pk)
    if request.method == "POST":
        farmer_password_reset(farmer=farmer, actor=request.user)
        messages.success(request, _("The old password no longer works."))
        return redirect("assistants:farmer_link", pk=farmer.pk)
    context = {"farmer": farmer, "texted": password_link_texts(farmer).first()}
    if not farmer.user.has_usable_password():
        link = request.build_absolute_uri(password_setup_path(farmer.user))
        context.update(
            link=link, qr_svg=segno.make(link, error="m").svg_inline(scale=4)
        )
    return render(request, "assistants/farmer_link.html", context)


@role_required(Role.ASSISTANT, Role.STAFF)
@require_POST
def farmer_link_text(request, pk):
    """The platform texts the farmer their set-password link."""
    farmer = get_object_or_404(farmers_visible_to(request.user), pk=pk)
    if farmer.user.has_usable_password():
        messages.error(request, _("The farmer has already chosen a password."))
    else:
        password_link_text(farmer=farmer, path=password_setup_path(farmer.user))
        messages.success(
            request,
            _("The link is on its way to %(phone)s by text message.")
            % {"phone": farmer.user.phone or farmer.phone},
        )
    return redirect("assistants:farmer_link", pk=farmer.pk)


@role_required(Role.ASSISTANT)
@require_POST
def farmer_verify_view(request, pk):
    farmer = get_object_or_404(farmers_visible_to(request.user), pk=pk)
    farmer_verify(farmer=farmer, verified_by=request.user)
    messages.success(request, _("Farm visit recorded: the shop is verified."))
    return redirect("fieldwork:farmer_detail", pk=farmer.pk)


@role_required(*PEOPLE_MANAGERS)
@require_POST
def household_exit(request, pk):
    farmer = get_object_or_404(farmers_visible_to(request.user), pk=pk)
    form = RegisterExitForm(request.POST)
    if form.is_valid():
        call_service(
            request,
            household_exit_register,
            done=_("The household's exit from the register is recorded."),
            household=farmer.household,
            recorded_by=request.user,
            **form.cleaned_data,
        )
    else:
        messages.error(request, form_error_text(form))
    return redirect("fieldwork:farmer_detail", pk=farmer.pk)


@role_required(Role.OFFICIAL, Role.STAFF)
@require_http_methods(["GET", "POST"])
def assignment_list(request):
    """A county's farmers with their assistant, unassigned first; assign in bulk."""
    counties = counties_visible_to(request.user)
    chosen = request.GET.get("county", "")
    county = (
        counties.filter(pk=chosen).first()
        if re.fullmatch(IdConverter.regex, chosen)
        else None
    ) or counties.first()
    farmers = farmers_visible_to(request.user)
    assistants = assistants_visible_to(request.user)
    if request.method == "POST":
        form = AssignForm(request.POST, farmers=farmers, assistants=assistants)
        if form.is_valid():
            assistant = form.cleaned_data["assistant"]
            call_service(
                request,
                assignments_assign_in_bulk,
                done=lambda done: (
                    _("%(count)s farmer(s) assigned to %(assistant)s.")
                    % {"count": len(done), "assistant": assistant}
                ),
                assigned_by=request.user,
                **form.cleaned_data,
            )
        else:
            messages.error(request, form_error_text(form))
        return redirect(request.get_full_path())
    listed = (
        farmers.filter(household__village__county=county)
        .annotate(assigned=Exists(assignments_in_force().filter(farmer=OuterRef("pk"))))
        .order_by("assigned", "shop_name", "pk")
    )
    context = {
        "counties": counties,
        "county": county,
        "assistants": assistants.filter(county=county),
        **paginate(request, listed, per_page=50),
    }
    return render(request, "assistants/assignment_list.html", context)
