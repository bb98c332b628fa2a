"""API routes of the assistants app: the people API (farmers, households,
assignments)."""

from rest_framework.routers import SimpleRouter

from assistants.api.views import AssignmentViewSet, FarmerViewSet, HouseholdViewSet

router = SimpleRouter()
router.register("farmers", FarmerViewSet, basename="farmer")
router.register("households", HouseholdViewSet, basename="household")
router.register("assignments", AssignmentViewSet, basename="assignment")
urlpatterns = router.urls
