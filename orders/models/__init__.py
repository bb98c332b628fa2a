"""The orders app's models, one module per part: the cart and addresses
(cart.py), checkouts, orders, their events and shipments, and the dirty-days
outbox (orders.py), payments, refunds and webhook receipts (payments.py), and the
daily payment reconciliation with its mismatches (reconciliation.py)."""

from orders.models.cart import MAX_QUANTITY, Address, Cart, CartItem
from orders.models.orders import (
    ON_THE_WAY,
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
    BankReference,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
    WebhookReceipt,
)
from orders.models.reconciliation import Mismatch, Reconciliation

__all__ = [
    "MAX_QUANTITY",
    "ON_THE_WAY",
    "SOLD",
    "Address",
    "Cart",
    "CartItem",
    "Checkout",
    "DirtyDay",
    "Mismatch",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderStatus",
    "Payment",
    "PaymentProviderCode",
    "PaymentStatus",
    "Reconciliation",
    "Refund",
    "RefundStatus",
    "Shipment",
    "WebhookReceipt",
    "BankReference",
]
