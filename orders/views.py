"""Pages of the orders app."""

from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required


@role_required(Role.BUYER)
def home(request):
    return render(request, "orders/home.html")
