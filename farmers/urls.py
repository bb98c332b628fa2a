"""URLs of the farmers app: the farmer's own pages and the household register import."""

from django.urls import path

from farmers import listing_views, views

app_name = "farmers"

urlpatterns = [
    path("farmer/", views.home, name="home"),
    path("farmer/storefront/", views.storefront, name="storefront"),
    path("listings/", listing_views.listing_list, name="listings"),
    path("listings/new/", listing_views.listing_new, name="listing_new"),
    path("listings/<id:pk>/", listing_views.listing_edit, name="listing"),
    path("listings/<id:pk>/quick/", listing_views.listing_quick, name="listing_quick"),
    path(
        "listings/<id:pk>/photos/",
        listing_views.listing_photo_add,
        name="listing_photo_add",
    ),
    path(
        "listings/<id:pk>/photos/<id:photo_pk>/<slug:change>/",
        listing_views.listing_photo_change,
        name="listing_photo_change",
    ),
    path(
        "listings/<id:pk>/<slug:action>/",
        listing_views.listing_action,
        name="listing_action",
    ),
    path("households/import/", views.register_import, name="register_import"),
    path(
        "households/import/<id:pk>/",
        views.register_import_preview,
        name="register_import_preview",
    ),
]
