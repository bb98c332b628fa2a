"""The audit page: staff read every event, officials their counties' events, with
filters by county, farmer, action and dates."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.models import Role
from accounts.permissions import role_required
from audit.forms import AuditFilterForm
from audit.selectors import events_visible_to
from common.web import paginate
from counties.selectors import counties_visible_to

PER_PAGE = 50


@role_required(Role.OFFICIAL, Role.STAFF)
@require_safe
def event_list(request):
    form = AuditFilterForm(
        request.GET or None, counties=counties_visible_to(request.user)
    )
    events = events_visible_to(request.user)
    if form.is_bound:
        events = form.filter(events) if form.is_valid() else events.none()
    context = {"form": form, **paginate(request, events, PER_PAGE)}
    return render(request, "audit/event_list.html", context)
