"""URLs of the reports app."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("sales/", views.sales, name="sales"),
    path("income/", views.income, name="income"),
    path("targeting/", views.targeting, name="targeting"),
    path("assistants/", views.assistants, name="assistants"),
    path("training/", views.training, name="training"),
    path("exports/", views.export_new, name="export_new"),
    path("exports/<id:pk>/", views.export_detail, name="export"),
    path("exports/<id:pk>/download/", views.export_download, name="export_download"),
]
