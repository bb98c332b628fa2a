"""API routes of the farmers app: farmers and households, the public catalogue, and
the listings farmers and assistants write."""

from rest_framework.routers import SimpleRouter

from farmers.api.catalogue import (
    CatalogueProductViewSet,
    CategoryViewSet,
    ListingViewSet,
    StorefrontViewSet,
)
from farmers.api.views import FarmerViewSet, HouseholdViewSet

router = SimpleRouter()
router.register("farmers", FarmerViewSet, basename="farmer")
router.register("households", HouseholdViewSet, basename="household")
router.register("catalogue/categories", CategoryViewSet, basename="catalogue-category")
router.register(
    "catalogue/products", CatalogueProductViewSet, basename="catalogue-product"
)
router.register("catalogue/storefronts", StorefrontViewSet, basename="storefront")
router.register("listings", ListingViewSet, basename="listing")
urlpatterns = router.urls
