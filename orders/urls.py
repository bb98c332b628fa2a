"""URLs of the orders app."""

from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("", views.home, name="home"),
]
