"""Pages of the reports app."""

from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required


@role_required(Role.OFFICIAL, Role.STAFF)
def home(request):
    return render(request, "reports/home.html")
