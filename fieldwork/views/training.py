"""Training pages: the sessions with their totals, and recording one with who of
the assistant's farmers attended."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Role
from accounts.permissions import role_required
from assistants.selectors import assigned_farmers, assistant_of
from common.web import paginate
from fieldwork.forms import TrainingForm
from fieldwork.selectors import training_listed, training_totals
from fieldwork.services import training_record


@role_required(Role.ASSISTANT, Role.OFFICIAL, Role.STAFF)
@require_safe
def training_list(request):
    context = {
        "totals": training_totals(request.user),
        **paginate(request, training_listed(request.user)),
    }
    return render(request, "fieldwork/training_list.html", context)


@role_required(Role.ASSISTANT)
@require_http_methods(["GET", "POST"])
def training_new(request):
    assistant = assistant_of(request.user)
    if assistant is None:
        raise Http404
    form = TrainingForm(request.POST or None, farmers=assigned_farmers(assistant))
    if request.method == "POST" and form.is_valid():
        try:
            training_record(assistant=assistant, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Training session recorded."))
            return redirect("fieldwork:training_list")
    return render(request, "fieldwork/training_new.html", {"form": form})
