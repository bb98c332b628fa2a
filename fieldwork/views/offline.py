"""Field work that works offline: the page that holds the visit, survey and
training forms with the assistant's farmers (cached on the phone by the
service worker, static/root/sw.js), and the door records made offline come in
by (fieldwork.sync)."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Role
from accounts.permissions import role_required
from assistants.selectors import assigned_farmers, assistant_of
from fieldwork.forms import SurveyForm, TrainingForm, VisitForm
from fieldwork.sync import offline_record, recorder_token

STATUS = {"created": 201, "duplicate": 200, "refused": 422}


@role_required(Role.ASSISTANT)
@require_safe
def offline_page(request):
    assistant = assistant_of(request.user)
    if assistant is None:
        raise Http404
    farmers = assigned_farmers(assistant).select_related("user", "household__village")
    context = {
        "farmers": farmers.order_by("shop_name", "pk"),
        "visit_form": VisitForm(),
        "survey_form": SurveyForm(),
        "training_form": TrainingForm(farmers=farmers),
        "recorder": recorder_token(assistant),
    }
    return render(request, "fieldwork/offline.html", context)


@require_safe
def manifest(request):
    """The installable web app's manifest (public: browsers fetch it without
    cookies), in the visitor's language."""
    body = {
        "name": _("Field work · Poverty-alleviation marketplace"),
        "short_name": _("Field work"),
        "description": _(
            "Visits, income surveys and training records, even without a connection."
        ),
        "lang": get_language(),
        "start_url": reverse("fieldwork:offline"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#2f6b3a",
        "icons": [
            {"src": f"/icon-{n}.png", "sizes": f"{n}x{n}", "type": "image/png"}
            for n in (192, 512)
        ],
    }
    return JsonResponse(
        body,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@role_required(Role.ASSISTANT)
@require_POST
def sync(request):
    """One record from a phone: 201 created, 200 arrived before, 422 refused
    (with the reason), 400 no record at all; JSON for the phone's script, a
    message and the page back without it."""
    try:
        outcome = offline_record(data=request.POST, files=request.FILES)
    except ValueError as exc:
        body, status = {"status": "invalid", "reason": str(exc)}, 400
    else:
        body = {"status": outcome.status, "reason": outcome.reason}
        status = STATUS[outcome.status]
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(body, status=status)
    if status < 300:
        messages.success(request, _("Recorded."))
    else:
        messages.error(request, body["reason"])
    return redirect("fieldwork:offline")
