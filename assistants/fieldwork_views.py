"""Pages of the assistant's field work: training sessions (list with totals, record
with attendance), household visits and income surveys (record and correct).
Assistants write for their own farmers; scope comes from selectors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Role
from accounts.permissions import role_required
from assistants import fieldwork, surveys
from assistants.fieldwork_forms import SurveyForm, TrainingForm, VisitForm
from assistants.models import SURVEY_FIELDS, Assistant, Attendance
from assistants.selectors import surveys_visible_to, training_visible_to
from audit.models import AuditEvent
from audit.selectors import events_about
from common.web import paginate
from farmers.selectors import farmers_visible_to


def _assistant(request) -> Assistant:
    return get_object_or_404(Assistant, user=request.user)


def _errors_to_form(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@role_required(Role.ASSISTANT, Role.OFFICIAL, Role.STAFF)
@require_safe
def training_list(request):
    sessions = training_visible_to(request.user)
    totals = sessions.aggregate(hours=Sum("hours"), count=Count("pk"))
    trained = (
        Attendance.objects.filter(session__in=sessions)
        .values("farmer")
        .distinct()
        .count()
    )
    context = {
        "totals": totals,
        "trained": trained,
        **paginate(
            request,
            sessions.annotate(attended=Count("attendance")).order_by("-held_on", "-pk"),
        ),
    }
    return render(request, "assistants/training_list.html", context)


@role_required(Role.ASSISTANT)
@require_http_methods(["GET", "POST"])
def training_new(request):
    assistant = _assistant(request)
    form = TrainingForm(
        request.POST or None, farmers=fieldwork.assigned_farmers(assistant)
    )
    if request.method == "POST" and form.is_valid():
        try:
            fieldwork.training_record(assistant=assistant, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Training session recorded."))
            return redirect("assistants:training_list")
    return render(request, "assistants/training_new.html", {"form": form})


def _farmer(request, pk):
    return get_object_or_404(farmers_visible_to(request.user), pk=pk)


@role_required(Role.ASSISTANT)
@require_http_methods(["GET", "POST"])
def visit_new(request, pk):
    farmer = _farmer(request, pk)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fieldwork.visit_record(
                assistant=_assistant(request),
                household=farmer.household,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("assistants:farmer_detail", pk=farmer.pk)
    context = {"form": form, "farmer": farmer}
    return render(request, "assistants/visit_new.html", context)


@role_required(Role.ASSISTANT)
@require_http_methods(["GET", "POST"])
def survey_new(request, pk):
    farmer = _farmer(request, pk)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        figures = {name: form.cleaned_data[name] for name in SURVEY_FIELDS}
        try:
            surveys.survey_record(
                household=farmer.household,
                year=form.cleaned_data["year"],
                recorded_by=request.user,
                **figures,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Survey recorded."))
            return redirect("assistants:farmer_detail", pk=farmer.pk)
    context = {"form": form, "farmer": farmer, "survey": None}
    return render(request, "assistants/survey_form.html", context)


@role_required(Role.ASSISTANT, Role.OFFICIAL, Role.STAFF)
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk):
    survey = get_object_or_404(
        surveys_visible_to(request.user).select_related("household__village__county"),
        pk=pk,
    )
    may_edit = request.user.role == Role.ASSISTANT
    form = SurveyForm(
        request.POST if may_edit and request.method == "POST" else None,
        instance=survey,
    )
    if form.is_bound and form.is_valid():
        figures = {name: form.cleaned_data[name] for name in SURVEY_FIELDS}
        try:
            surveys.survey_correct(survey=survey, changed_by=request.user, **figures)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Survey corrected; the change is kept."))
            return redirect("assistants:survey_edit", pk=survey.pk)
    survey.refresh_from_db()
    context = {
        "form": form,
        "survey": survey,
        "may_edit": may_edit,
        "status": surveys.poverty_status(survey),
        "corrections": events_about(request.user, survey).filter(
            action=AuditEvent.Action.SURVEY_CORRECTED
        )[:50],
    }
    return render(request, "assistants/survey_form.html", context)
