"""API routes of the assistants app."""

from rest_framework.routers import SimpleRouter

from assistants.api.views import AssignmentViewSet

router = SimpleRouter()
router.register("assignments", AssignmentViewSet, basename="assignment")
urlpatterns = router.urls
