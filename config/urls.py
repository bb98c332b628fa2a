"""Root URL configuration: one include per app, plus health, i18n and the API schema."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import ObtainToken, PhoneCodeRequest
from common.web import IdConverter
from config.health import healthz

# <id:pk> in every app: a database id, so an absurdly long number is a 404, not an
# integer overflow inside the database driver.
register_converter(IdConverter, "id")

urlpatterns = [
    path("", include("catalogue.public_urls")),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("", include("counties.urls")),
    path("", include("shipping.urls")),
    path("", include("farmers.urls")),
    path("", include("catalogue.urls")),
    path("assistant/", include("assistants.urls")),
    path("assistant/", include("fieldwork.urls")),
    path("", include("orders.urls")),
    path("", include("settlement.urls")),
    path("notifications/", include("notifications.urls")),
    path("sms/", include("sms.urls")),
    path("units/", include("procurement.urls")),
    path("aftersales/", include("aftersales.urls")),
    path("reviews/", include("reviews.urls")),
    path("reports/", include("reports.urls")),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("catalogue.api.urls")),
    path("api/", include("assistants.api.urls")),
    path("api/", include("fieldwork.api.urls")),
    path("api/", include("orders.api.urls")),
    path("api/", include("reports.api.urls")),
    path("api/", include("settlement.api.urls")),
    path("api/token/", ObtainToken.as_view(), name="api-token"),
    path("api/token/code/", PhoneCodeRequest.as_view(), name="api-token-code"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # GET only: its HTML renderer has no template for DRF's OPTIONS answer
        # (a 500), and the page has nothing to describe.
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", http_method_names=["get", "head"]
        ),
        name="api-docs",
    ),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# JSON under /api/, the page elsewhere (with DEBUG on, Django's debug page instead).
handler404 = "common.web.not_found"
