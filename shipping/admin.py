"""Shipping templates and pickup points in the admin, to read: they are
changed on their pages (/shipping/<farmer>/, /shipping/points/), where the
change is checked and audited."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin
from shipping.models import PickupPoint, ShippingTemplate


@admin.register(ShippingTemplate)
class ShippingTemplateAdmin(ReadOnlyAdmin):
    list_display = ("farmer", "charge_by", "first", "additional", "free_over")
    list_filter = ("charge_by",)
    search_fields = ("farmer__shop_name",)
    list_select_related = ("farmer",)


@admin.register(PickupPoint)
class PickupPointAdmin(ReadOnlyAdmin):
    list_display = ("name", "county", "kind", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "address")
    list_select_related = ("county",)
