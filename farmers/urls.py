"""URLs of the farmers app."""

from django.urls import path

from farmers import views

app_name = "farmers"

urlpatterns = [
    path("", views.home, name="home"),
]
