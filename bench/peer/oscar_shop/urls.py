"""Oscar's URLs (oscar.config, as its docs include them) and, for the bench only,
a trivial page: a static template through the same middleware and context
processors, the best any page of this shop can do here."""

from django.apps import apps
from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    path("bench/trivial/", TemplateView.as_view(template_name="bench/trivial.html")),
    # Oscar's pages link the language switcher (its docs: with more than one
    # language, include Django's i18n URLs).
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(apps.get_app_config("oscar").urls[0])),
]
