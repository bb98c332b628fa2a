"""Payouts by county, for officials (their counties) and staff (all): how many
farmers were paid, and how much has been paid or is with the bank."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.models import Role
from accounts.permissions import role_required
from common.web import paginate
from counties.models import in_language
from settlement import selectors


@role_required(Role.OFFICIAL, Role.STAFF)
@require_safe
def county_payouts(request):
    context = paginate(request, selectors.county_payouts(request.user), 50)
    for row in context["page_obj"]:
        row["county"] = in_language(row["county_name"], row["county_name_en"])
    return render(request, "settlement/county_payouts.html", context)
