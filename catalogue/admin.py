"""Admin for categories and listings (read-mostly: listings change through the
catalogue's services)."""

from django.contrib import admin

from catalogue.models import Category, Product, ProductImage


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_zh", "name_en", "position")
    list_editable = ("position",)


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ("image", "position", "thumbnail", "detail")
    readonly_fields = ("image", "thumbnail", "detail")

    def has_add_permission(self, request, obj=None):
        return False  # photos are validated and stripped by product_image_add


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    """Read-mostly: listings change through the catalogue's services, which
    record the history (audit events about the product: the audit admin, searched
    by the listing's title) and apply the review workflow."""

    list_display = ("title", "farmer", "category", "price", "stock", "status")
    list_filter = ("status", "category")
    search_fields = ("title", "farmer__shop_name")
    list_select_related = ("farmer", "category")
    readonly_fields = [f.name for f in Product._meta.fields]
    inlines = [ProductImageInline]

    def has_add_permission(self, request):
        return False
