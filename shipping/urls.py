"""URLs of shipping: a storefront's shipping template."""

from django.urls import path

from shipping import views

app_name = "shipping"

urlpatterns = [
    path("shipping/", views.own_template, name="own"),
    path("shipping/<id:farmer_pk>/", views.shipping_template, name="template"),
]
