"""Shipping templates in the admin, to read: they are changed on their page
(/shipping/<farmer>/), where the change is checked whole and audited."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin
from shipping.models import ShippingTemplate


@admin.register(ShippingTemplate)
class ShippingTemplateAdmin(ReadOnlyAdmin):
    list_display = ("farmer", "charge_by", "first", "additional", "free_over")
    list_filter = ("charge_by",)
    search_fields = ("farmer__shop_name",)
    list_select_related = ("farmer",)
