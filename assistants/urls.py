"""URLs of the assistants app: my farmers, onboarding, farmer files, assignments."""

from django.urls import path

from assistants import fieldwork_views, views

app_name = "assistants"

urlpatterns = [
    path("", views.home, name="home"),
    path("farmers/", views.farmer_list, name="farmer_list"),
    path("farmers/new/", views.farmer_new, name="farmer_new"),
    path("farmers/<id:pk>/", views.farmer_detail, name="farmer_detail"),
    path("farmers/<id:pk>/link/", views.farmer_link, name="farmer_link"),
    path("farmers/<id:pk>/verify/", views.farmer_verify_view, name="farmer_verify"),
    path("farmers/<id:pk>/exit-register/", views.household_exit, name="household_exit"),
    path("farmers/<id:pk>/visit/", fieldwork_views.visit_new, name="visit_new"),
    path("farmers/<id:pk>/survey/", fieldwork_views.survey_new, name="survey_new"),
    path("surveys/<id:pk>/", fieldwork_views.survey_edit, name="survey_edit"),
    path("training/", fieldwork_views.training_list, name="training_list"),
    path("training/new/", fieldwork_views.training_new, name="training_new"),
    path("assignments/", views.assignment_list, name="assignment_list"),
    path("on-behalf/", views.on_behalf_list, name="on_behalf"),
]
