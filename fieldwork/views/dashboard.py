"""The assistant's home: the dashboard of every assigned farmer's figures, those
needing help first."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.models import Role
from accounts.permissions import role_required
from common.web import paginate
from fieldwork.help import dashboard_farmers, help_reasons

DASHBOARD_PER_PAGE = 30


@role_required(Role.ASSISTANT)
@require_safe
def home(request):
    """The dashboard: every assigned farmer's figures, those needing help first."""
    context = paginate(request, dashboard_farmers(request.user), DASHBOARD_PER_PAGE)
    context["rows"] = [(farmer, help_reasons(farmer)) for farmer in context["page_obj"]]
    return render(request, "fieldwork/home.html", context)
