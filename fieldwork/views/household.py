"""The household file: a farmer, their household and its register history, their
assignments, and the work record (surveys against the line, visits, training,
platform sales by year, the audit trail); a visit's photo, to those who see the
visit (it is kept private, never served as a file)."""

import mimetypes

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from accounts.models import Role
from accounts.permissions import role_required
from assistants.selectors import assignments_visible_to, farmers_visible_to
from farmers.forms import RegisterExitForm
from fieldwork.selectors import household_file, visits_visible_to


@role_required(Role.ASSISTANT, Role.OFFICIAL, Role.STAFF)
@require_safe
def farmer_detail(request, pk):
    farmer = get_object_or_404(farmers_visible_to(request.user), pk=pk)
    household = farmer.household
    context = {
        "farmer": farmer,
        "household": household,
        "exits": household.register_exits.select_related("recorded_by"),
        "assignments": assignments_visible_to(request.user).filter(farmer=farmer),
        "exit_form": RegisterExitForm(),
        **household_file(request.user, household),
    }
    return render(request, "fieldwork/farmer_detail.html", context)


@role_required(Role.ASSISTANT, Role.OFFICIAL, Role.STAFF)
@require_safe
def visit_photo(request, pk):
    visit = get_object_or_404(visits_visible_to(request.user), pk=pk)
    if not visit.photo:
        raise Http404
    kind = mimetypes.guess_type(visit.photo.name)[0] or "application/octet-stream"
    response = FileResponse(visit.photo.open("rb"), content_type=kind)
    response["Cache-Control"] = "private, max-age=3600"
    return response
