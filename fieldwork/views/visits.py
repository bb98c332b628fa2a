"""Recording a visit to the household of one of the assistant's farmers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import role_required
from assistants.selectors import assistant_of, farmers_visible_to
from fieldwork.forms import VisitForm
from fieldwork.services import visit_record


@role_required(Role.ASSISTANT)
@require_http_methods(["GET", "POST"])
def visit_new(request, pk):
    # Only an assistant with a profile has farmers: one found has its assistant.
    farmer = get_object_or_404(farmers_visible_to(request.user), pk=pk)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            visit_record(
                assistant=assistant_of(request.user),
                household=farmer.household,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("fieldwork:farmer_detail", pk=farmer.pk)
    context = {"form": form, "farmer": farmer}
    return render(request, "fieldwork/visit_new.html", context)
