"""The audit trail in the admin: read only, nothing added, changed or deleted."""

from django.contrib import admin

from audit.models import AuditEvent
from common.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "subject_label", "county", "farmer")
    list_filter = ("action", "county")
    search_fields = ("subject_label", "actor__username", "note")
    list_select_related = ("actor", "county", "farmer")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
