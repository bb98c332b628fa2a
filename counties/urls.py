"""URLs of the counties app: the divisions within one (the address form)."""

from django.urls import re_path

from counties import views

app_name = "counties"

urlpatterns = [
    re_path(
        r"^divisions/(?P<code>[0-9]{6})/$",
        views.division_children,
        name="division_children",
    ),
]
