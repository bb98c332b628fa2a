"""The audit trail in the admin: read only, nothing added, changed or deleted."""

from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "subject_label", "county", "farmer")
    list_filter = ("action", "county")
    search_fields = ("subject_label", "actor__username", "note")
    list_select_related = ("actor", "county", "farmer")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
