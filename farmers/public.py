"""Public pages (no sign-in): home, catalogue, product, storefront and county pages.
Only active listings of active farmers are shown (farmers.selectors.public_products)."""

from django.shortcuts import render


def home(request):
    return render(request, "home.html")
