"""Admin for household files, farmers and register imports."""

from django.contrib import admin

from farmers.models import Farmer, Household, RegisterExit, RegisterImport


class RegisterExitInline(admin.TabularInline):
    model = RegisterExit
    extra = 0
    readonly_fields = ("exited_on", "reason", "recorded_by", "recorded_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # exits are recorded through household_exit_register


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("head_name", "village", "members", "status", "registration_number")
    list_filter = ("status", "village__county")
    search_fields = ("head_name", "registration_number")
    list_select_related = ("village__county",)
    autocomplete_fields = ("village",)
    inlines = [RegisterExitInline]


@admin.register(Farmer)
class FarmerAdmin(admin.ModelAdmin):
    list_display = ("shop_name", "user", "phone", "household", "verified_at")
    search_fields = ("shop_name", "slug", "phone", "user__username")
    list_select_related = ("user", "household__village")
    raw_id_fields = ("user", "household", "verified_by")


@admin.register(RegisterImport)
class RegisterImportAdmin(admin.ModelAdmin):
    list_display = ("original_name", "uploaded_by", "uploaded_at", "status", "rows")
    list_select_related = ("uploaded_by",)
    readonly_fields = [f.name for f in RegisterImport._meta.fields]
