"""URLs of the orders app: cart, checkout, payment, the order pages, the
farmer's home (their orders to ship and listings needing attention), and the
staff's payment reconciliation."""

from django.urls import path

from orders.views import cart, farmer_home, orders, payments, reconciliation, wechat

app_name = "orders"

urlpatterns = [
    path("farmer/", farmer_home.farmer_home, name="farmer_home"),
    path("orders/", orders.home, name="home"),
    path("orders/cart/", cart.cart, name="cart"),
    path("orders/cart/add/", cart.cart_add_item, name="cart_add"),
    path("orders/cart/<id:product_id>/", cart.cart_update_item, name="cart_update"),
    path("orders/checkout/", cart.checkout, name="checkout"),
    path("orders/checkout/<id:pk>/", cart.checkout_done, name="checkout_done"),
    path("orders/checkout/<id:pk>/pay/", payments.pay, name="pay"),
    path("orders/gateway/<uuid:reference>/", payments.gateway, name="gateway"),
    path("orders/webhooks/<slug:provider>/", payments.webhook, name="webhook"),
    path("orders/wechat/oauth/", wechat.wechat_oauth, name="wechat_oauth"),
    path("orders/to-ship/", orders.to_ship, name="to_ship"),
    path("orders/farmers/", orders.farmers_orders, name="farmers_orders"),
    path("orders/<id:pk>/", orders.detail, name="detail"),
    path("orders/<id:pk>/ship/", orders.ship, name="ship"),
    path("orders/<id:pk>/slip/", orders.packing_slip, name="packing_slip"),
    path("orders/<id:pk>/<slug:action>/", orders.act, name="act"),
    path(
        "staff/reconciliation/",
        reconciliation.reconciliation_list,
        name="reconciliation",
    ),
    path(
        "staff/reconciliation/<id:pk>/resolve/",
        reconciliation.mismatch_resolve,
        name="mismatch_resolve",
    ),
    path(
        "staff/reconciliation/<id:pk>/apply/",
        reconciliation.mismatch_apply,
        name="mismatch_apply",
    ),
    path(
        "staff/reconciliation/refunds/<id:pk>/retry/",
        reconciliation.refund_retry,
        name="refund_retry",
    ),
]
