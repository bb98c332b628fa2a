"""Admin for assistants and their assignments."""

from django.contrib import admin

from assistants.models import Assignment, Assistant
from common.admin import ReadOnlyAdmin


@admin.register(Assistant)
class AssistantAdmin(admin.ModelAdmin):
    list_display = ("user", "county")
    list_filter = ("county",)
    search_fields = ("user__username", "user__first_name")
    list_select_related = ("user", "county")
    raw_id_fields = ("user",)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    """Read-only: assignments change only through assignment_assign (the officials'
    assignment page), which enforces one county and keeps history."""

    list_display = ("farmer", "assistant", "started_on", "ended_on")
    list_filter = ("ended_on",)
    list_select_related = ("farmer", "assistant__user")
    raw_id_fields = ("farmer", "assistant", "assigned_by")
