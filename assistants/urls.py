"""URLs of the assistants app: my farmers, onboarding, the set-password link,
verification and register exits, assignments, the on-behalf record and listing
review. The field work's pages share the /assistant/ prefix (fieldwork.urls)."""

from django.urls import path

from assistants import views

app_name = "assistants"

urlpatterns = [
    path("farmers/", views.farmer_list, name="farmer_list"),
    path("farmers/new/", views.farmer_new, name="farmer_new"),
    path("farmers/<id:pk>/link/", views.farmer_link, name="farmer_link"),
    path("farmers/<id:pk>/link/text/", views.farmer_link_text, name="farmer_link_text"),
    path("farmers/<id:pk>/verify/", views.farmer_verify_view, name="farmer_verify"),
    path("farmers/<id:pk>/exit-register/", views.household_exit, name="household_exit"),
    path("assignments/", views.assignment_list, name="assignment_list"),
    path("on-behalf/", views.on_behalf_list, name="on_behalf"),
]
