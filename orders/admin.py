"""Admin for platform staff: orders read-only with their lines, events and shipment
(changes go through the order pages and services, never by editing rows)."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin, ReadOnlyInline
from orders.models import Checkout, Order, OrderEvent, OrderLine, Payment, Shipment


class OrderLineInline(ReadOnlyInline):
    model = OrderLine


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent


class ShipmentInline(ReadOnlyInline):
    model = Shipment


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "farmer", "buyer", "status", "total", "placed_at")
    list_filter = ("status", "county")
    list_select_related = ("farmer", "buyer")
    search_fields = ("=id", "farmer__shop_name", "buyer__username", "recipient")
    date_hierarchy = "placed_at"
    inlines = [OrderLineInline, ShipmentInline, OrderEventInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "provider", "amount", "refunded", "status", "paid_at")
    list_filter = ("provider", "status")
    search_fields = ("=reference", "transaction_id")


@admin.register(Checkout)
class CheckoutAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "buyer", "provider", "total", "created_at")
    list_select_related = ("buyer",)
