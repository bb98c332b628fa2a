"""URLs of the public pages: the home page, catalogue, storefronts and counties."""

from django.urls import path, re_path

from catalogue.views import public

urlpatterns = [
    path("", public.home, name="home"),
    path("products/", public.catalogue, name="catalogue"),
    path("products/<id:pk>/", public.product, name="product"),
    path("shop/<slug:slug>/", public.storefront, name="storefront"),
    # A county's six-digit administrative code; anything else is a 404.
    re_path(r"^counties/(?P<code>[0-9]{6})/$", public.county, name="county"),
]
