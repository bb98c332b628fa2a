"""URLs of reviews: /reviews/."""

from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("lines/<id:line_pk>/new/", views.review_new, name="new"),
    path("<id:pk>/reply/", views.review_reply_view, name="reply"),
    path("<id:pk>/hide/", views.review_hide_view, name="hide"),
]
