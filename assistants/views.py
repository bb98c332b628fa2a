"""Pages of the assistants app."""

from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required


@role_required(Role.ASSISTANT)
def home(request):
    return render(request, "assistants/home.html")
