"""Admin for work units: units, members, invitations and budgets are read here
(the pages write them, through the services, audited); the reserved shares
are the platform's settings and are edited here by staff."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin
from procurement.models import ReservedShare, UnitBudget, UnitMember, WorkUnit


@admin.register(WorkUnit)
class WorkUnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "name_en", "kind", "county", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "name_en")
    list_select_related = ("county",)


@admin.register(UnitMember)
class UnitMemberAdmin(ReadOnlyAdmin):
    list_display = ("user", "unit", "role", "joined_at")
    list_filter = ("role",)
    list_select_related = ("user", "unit")


@admin.register(UnitBudget)
class UnitBudgetAdmin(ReadOnlyAdmin):
    list_display = ("unit", "year", "amount", "set_by", "set_at")
    list_select_related = ("unit", "set_by")


@admin.register(ReservedShare)
class ReservedShareAdmin(admin.ModelAdmin):
    list_display = ("year", "province", "share")
    list_filter = ("year",)
