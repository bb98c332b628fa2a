"""URLs of the orders app: cart, checkout, payment, the order pages, and the
farmer's home (their orders to ship and listings needing attention)."""

from django.urls import path

from orders import payment_views, views

app_name = "orders"

urlpatterns = [
    path("farmer/", views.farmer_home, name="farmer_home"),
    path("orders/", views.home, name="home"),
    path("orders/cart/", views.cart, name="cart"),
    path("orders/cart/add/", views.cart_add_item, name="cart_add"),
    path("orders/cart/<id:product_id>/", views.cart_update_item, name="cart_update"),
    path("orders/checkout/", views.checkout, name="checkout"),
    path("orders/checkout/<id:pk>/", views.checkout_done, name="checkout_done"),
    path("orders/checkout/<id:pk>/pay/", payment_views.pay, name="pay"),
    path("orders/gateway/<uuid:reference>/", payment_views.gateway, name="gateway"),
    path("orders/webhooks/<slug:provider>/", payment_views.webhook, name="webhook"),
    path("orders/to-ship/", views.to_ship, name="to_ship"),
    path("orders/farmers/", views.farmers_orders, name="farmers_orders"),
    path("orders/<id:pk>/", views.detail, name="detail"),
    path("orders/<id:pk>/ship/", views.ship, name="ship"),
    path("orders/<id:pk>/slip/", views.packing_slip, name="packing_slip"),
    path("orders/<id:pk>/<slug:action>/", views.act, name="act"),
]
