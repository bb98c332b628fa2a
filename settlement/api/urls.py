"""API routes of settlement."""

from rest_framework.routers import SimpleRouter

from settlement.api.views import EarningsViewSet

router = SimpleRouter()
router.register("earnings", EarningsViewSet, basename="earnings")
urlpatterns = router.urls
