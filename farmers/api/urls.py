"""API routes of the farmers app: farmers and households."""

from rest_framework.routers import SimpleRouter

from farmers.api.views import FarmerViewSet, HouseholdViewSet

router = SimpleRouter()
router.register("farmers", FarmerViewSet, basename="farmer")
router.register("households", HouseholdViewSet, basename="household")
urlpatterns = router.urls
