"""URLs of the assistants app."""

from django.urls import path

from assistants import views

app_name = "assistants"

urlpatterns = [
    path("", views.home, name="home"),
]
