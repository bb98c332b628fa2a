"""API routes of the catalogue: the public read of categories, products and
storefronts, and the listings farmers and assistants write."""

from rest_framework.routers import SimpleRouter

from catalogue.api.views import (
    CatalogueProductViewSet,
    CategoryViewSet,
    ListingViewSet,
    StorefrontViewSet,
)

router = SimpleRouter()
router.register("catalogue/categories", CategoryViewSet, basename="catalogue-category")
router.register(
    "catalogue/products", CatalogueProductViewSet, basename="catalogue-product"
)
router.register("catalogue/storefronts", StorefrontViewSet, basename="storefront")
router.register("listings", ListingViewSet, basename="listing")
urlpatterns = router.urls
