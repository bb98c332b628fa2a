"""Pages of the farmers app."""

from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required


@role_required(Role.FARMER)
def home(request):
    return render(request, "farmers/home.html")
