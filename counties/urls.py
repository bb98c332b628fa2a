"""URLs of the counties app: the divisions within one (the address form)."""

from django.urls import path

from counties import views

app_name = "counties"

urlpatterns = [
    path(
        "divisions/<str:code>/",
        views.division_children,
        name="division_children",
    ),
]
