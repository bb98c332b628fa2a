"""Admin for household files, farmers and register imports."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin, ReadOnlyInline
from farmers.models import Farmer, Household, RegisterExit, RegisterImport


class RegisterExitInline(ReadOnlyInline):
    """Exits are recorded through household_exit_register."""

    model = RegisterExit
    readonly_fields = ("exited_on", "reason", "recorded_by", "recorded_at")


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    """Read-only: a household's file changes through onboarding, the register
    import and household_exit_register, each recorded in the audit trail."""

    list_display = ("head_name", "village", "members", "status", "registration_number")
    list_filter = ("status", "village__county")
    search_fields = ("head_name", "registration_number")
    list_select_related = ("village__county",)
    inlines = [RegisterExitInline]


@admin.register(Farmer)
class FarmerAdmin(admin.ModelAdmin):
    """A farmer's household and farm verification are read-only: they change
    through onboarding and farmer_verify, which the audit trail records."""

    list_display = ("shop_name", "user", "phone", "household", "verified_at")
    search_fields = ("shop_name", "slug", "phone", "user__username")
    list_select_related = ("user", "household__village")
    raw_id_fields = ("user",)
    readonly_fields = ("household", "verified_at", "verified_by")


@admin.register(RegisterImport)
class RegisterImportAdmin(admin.ModelAdmin):
    """Read-only: officials upload and import on their own pages. The file is in
    private storage, which has no URL, so the page names it instead of linking
    to it (a link was a server error)."""

    list_display = ("original_name", "uploaded_by", "uploaded_at", "status", "rows")
    list_select_related = ("uploaded_by",)
    exclude = ("file",)
    readonly_fields = [
        *(f.name for f in RegisterImport._meta.fields if f.name != "file"),
        "stored_file",
    ]

    @admin.display(description=RegisterImport._meta.get_field("file").verbose_name)
    def stored_file(self, record):
        return record.file.name or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
