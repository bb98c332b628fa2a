"""The product's URLs and, for the bench only, a trivial page: a static template
through the same middleware and gunicorn, the best any page can do here."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from config.urls import urlpatterns as product_urlpatterns

TRIVIAL_PATH = "bench/trivial/"


@require_safe
def trivial(request):
    return render(request, "bench/trivial.html")


urlpatterns = [path(TRIVIAL_PATH, trivial, name="bench-trivial"), *product_urlpatterns]
