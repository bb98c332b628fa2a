"""URLs of the orders app: cart, checkout, payment, and the order pages."""

from django.urls import path

from orders import payment_views, views

app_name = "orders"

urlpatterns = [
    path("", views.home, name="home"),
    path("cart/", views.cart, name="cart"),
    path("cart/add/", views.cart_add_item, name="cart_add"),
    path("cart/<id:product_id>/", views.cart_update_item, name="cart_update"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/<id:pk>/", views.checkout_done, name="checkout_done"),
    path("checkout/<id:pk>/pay/", payment_views.pay, name="pay"),
    path("gateway/<uuid:reference>/", payment_views.gateway, name="gateway"),
    path("webhooks/<slug:provider>/", payment_views.webhook, name="webhook"),
    path("to-ship/", views.to_ship, name="to_ship"),
    path("farmers/", views.farmers_orders, name="farmers_orders"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/ship/", views.ship, name="ship"),
    path("<id:pk>/slip/", views.packing_slip, name="packing_slip"),
    path("<id:pk>/<slug:action>/", views.act, name="act"),
]
