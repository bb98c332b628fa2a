"""Income survey pages: recording a household's year, and reading or correcting a
survey (assistants correct; officials and staff read). A refused correction shows
the user's input again with its errors, and the page's figures stay the saved
ones."""

from copy import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import role_required
from assistants.selectors import farmers_visible_to
from audit.models import AuditEvent
from audit.selectors import events_about
from fieldwork.forms import SurveyForm
from fieldwork.models import SURVEY_FIELDS
from fieldwork.selectors import poverty_status, surveys_visible_to
from fieldwork.services import survey_correct, survey_record


@role_required(Role.ASSISTANT)
@require_http_methods(["GET", "POST"])
def survey_new(request, pk):
    farmer = get_object_or_404(farmers_visible_to(request.user), pk=pk)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        figures = {name: form.cleaned_data[name] for name in SURVEY_FIELDS}
        try:
            survey_record(
                household=farmer.household,
                year=form.cleaned_data["year"],
                recorded_by=request.user,
                **figures,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Survey recorded."))
            return redirect("fieldwork:farmer_detail", pk=farmer.pk)
    context = {"form": form, "farmer": farmer, "survey": None}
    return render(request, "fieldwork/survey_form.html", context)


@role_required(Role.ASSISTANT, Role.OFFICIAL, Role.STAFF)
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk):
    survey = get_object_or_404(
        surveys_visible_to(request.user).select_related("household__village__county"),
        pk=pk,
    )
    may_edit = request.user.role == Role.ASSISTANT
    # The form validates onto a copy: `survey` stays as saved, for the page's
    # figures, whether the correction is saved or refused.
    form = SurveyForm(
        request.POST if may_edit and request.method == "POST" else None,
        instance=copy(survey),
    )
    if form.is_bound and form.is_valid():
        figures = {name: form.cleaned_data[name] for name in SURVEY_FIELDS}
        try:
            survey_correct(survey=survey, changed_by=request.user, **figures)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Survey corrected; the change is kept."))
            return redirect("fieldwork:survey_edit", pk=survey.pk)
    context = {
        "form": form,
        "survey": survey,
        "may_edit": may_edit,
        "status": poverty_status(survey),
        "corrections": events_about(request.user, survey).filter(
            action=AuditEvent.Action.SURVEY_CORRECTED
        )[:50],
    }
    return render(request, "fieldwork/survey_form.html", context)
