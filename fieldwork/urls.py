"""URLs of the field work, under /assistant/ beside the assistants app's: the
dashboard, the household file, visits, surveys and training, and field work
offline (its page, and the door its records come in by)."""

from django.urls import path

from fieldwork.views import dashboard, household, offline, surveys, training, visits

app_name = "fieldwork"

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("farmers/<id:pk>/", household.farmer_detail, name="farmer_detail"),
    path("farmers/<id:pk>/visit/", visits.visit_new, name="visit_new"),
    path("visits/<id:pk>/photo/", household.visit_photo, name="visit_photo"),
    path("farmers/<id:pk>/survey/", surveys.survey_new, name="survey_new"),
    path("surveys/<id:pk>/", surveys.survey_edit, name="survey_edit"),
    path("training/", training.training_list, name="training_list"),
    path("training/new/", training.training_new, name="training_new"),
    path("offline/", offline.offline_page, name="offline"),
    path("sync/", offline.sync, name="sync"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
]
