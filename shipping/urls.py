"""URLs of shipping: a storefront's shipping template, the pickup points."""

from django.urls import path

from shipping import views

app_name = "shipping"

urlpatterns = [
    path("shipping/", views.own_template, name="own"),
    path("shipping/<id:farmer_pk>/", views.shipping_template, name="template"),
    path("shipping/points/", views.pickup_points, name="points"),
    path("shipping/points/new/", views.pickup_point_edit, name="point_new"),
    path("shipping/points/<id:pk>/", views.pickup_point_edit, name="point"),
]
