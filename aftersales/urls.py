"""URLs of after-sales: /aftersales/."""

from django.urls import path

from aftersales import views

app_name = "aftersales"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("orders/<id:order_pk>/new/", views.case_new, name="new"),
    path("<id:pk>/", views.case_detail, name="case"),
    path("<id:pk>/<slug:action>/", views.case_move, name="move"),
]
