"""Admin for counties, their villages and poverty lines, and the administrative
divisions (shipped as data: read only)."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin
from counties.models import County, Division, PovertyLine, Village


class VillageInline(admin.TabularInline):
    model = Village
    extra = 1


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "code", "province", "is_key_poverty_county")
    list_filter = ("province", "is_key_poverty_county")
    search_fields = ("name", "name_en", "code")
    inlines = [VillageInline]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "county")
    list_filter = ("county",)
    search_fields = ("name", "name_en")
    list_select_related = ("county",)


@admin.register(PovertyLine)
class PovertyLineAdmin(admin.ModelAdmin):
    list_display = ("year", "county", "method", "amount", "percentage")
    list_filter = ("method", "year")
    list_select_related = ("county",)


@admin.register(Division)
class DivisionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    list_select_related = ("parent",)
