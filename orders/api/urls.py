"""API routes of the orders app."""

from rest_framework.routers import SimpleRouter

from orders.api.views import AddressViewSet, CartViewSet, CheckoutViewSet, OrderViewSet

router = SimpleRouter()
router.register("cart", CartViewSet, basename="cart")
router.register("addresses", AddressViewSet, basename="address")
router.register("checkouts", CheckoutViewSet, basename="checkout")
router.register("orders", OrderViewSet, basename="order")
urlpatterns = router.urls
