"""The orders app's models, one module per part: the cart and addresses
(cart.py), checkouts, orders, their events and shipments, and the dirty-days
outbox (orders.py), payments, refunds and webhook receipts (payments.py)."""

from orders.models.cart import MAX_QUANTITY, Address, Cart, CartItem
from orders.models.orders import (
    SOLD,
    Checkout,
    DirtyDay,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentProviderCode,
    Shipment,
)
from orders.models.payments import (
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
    WebhookReceipt,
)

__all__ = [
    "MAX_QUANTITY",
    "SOLD",
    "Address",
    "Cart",
    "CartItem",
    "Checkout",
    "DirtyDay",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderStatus",
    "Payment",
    "PaymentProviderCode",
    "PaymentStatus",
    "Refund",
    "RefundStatus",
    "Shipment",
    "WebhookReceipt",
]
