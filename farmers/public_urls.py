"""URLs of the public pages: the home page, catalogue, storefronts and counties."""

from django.urls import path

from farmers import public

urlpatterns = [
    path("", public.home, name="home"),
]
