"""URLs of the assistants app: my farmers, onboarding, farmer files, assignments."""

from django.urls import path

from assistants import views

app_name = "assistants"

urlpatterns = [
    path("", views.home, name="home"),
    path("farmers/", views.farmer_list, name="farmer_list"),
    path("farmers/new/", views.farmer_new, name="farmer_new"),
    path("farmers/<id:pk>/", views.farmer_detail, name="farmer_detail"),
    path("farmers/<id:pk>/link/", views.farmer_link, name="farmer_link"),
    path("farmers/<id:pk>/verify/", views.farmer_verify_view, name="farmer_verify"),
    path("farmers/<id:pk>/exit-register/", views.household_exit, name="household_exit"),
    path("assignments/", views.assignment_list, name="assignment_list"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<id:pk>/<slug:decision>/", views.review_decide, name="review_decide"),
]
