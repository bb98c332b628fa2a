"""URLs of the farmers app: the farmer's own pages and the household register import."""

from django.urls import path

from farmers import views

app_name = "farmers"

urlpatterns = [
    path("farmer/storefront/", views.storefront, name="storefront"),
    path("households/import/", views.register_import, name="register_import"),
    path(
        "households/import/<id:pk>/",
        views.register_import_preview,
        name="register_import_preview",
    ),
]
