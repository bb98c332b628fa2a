"""URLs of the catalogue's signed-in pages: a farmer's (or their assistant's)
listings and photos, and the review queue."""

from django.urls import path

from catalogue.views import listings, review

app_name = "catalogue"

urlpatterns = [
    path("listings/", listings.listing_list, name="listings"),
    path("listings/new/", listings.listing_new, name="listing_new"),
    path("listings/<id:pk>/", listings.listing_edit, name="listing"),
    path("listings/<id:pk>/quick/", listings.listing_quick, name="listing_quick"),
    path(
        "listings/<id:pk>/photos/",
        listings.listing_photo_add,
        name="listing_photo_add",
    ),
    path(
        "listings/<id:pk>/photos/<id:photo_pk>/<slug:change>/",
        listings.listing_photo_change,
        name="listing_photo_change",
    ),
    path(
        "listings/<id:pk>/<slug:action>/",
        listings.listing_action,
        name="listing_action",
    ),
    path("assistant/reviews/", review.reviews, name="reviews"),
    path(
        "assistant/reviews/<id:pk>/<slug:decision>/",
        review.review_decide,
        name="review_decide",
    ),
]
