"""Admin for users: role and overseen counties alongside Django's user fields."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.sign_in import AdminSignInForm

# The admin's sign-in follows the rule of every sign-in (accounts/sign_in.py).
admin.site.login_form = AdminSignInForm


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    list_display = ("username", "email", "role", "is_active", "date_joined")
    list_filter = ("role", "is_active", "is_staff")
    filter_horizontal = ("counties", "groups", "user_permissions")
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Platform role"), {"fields": ("role", "counties")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Platform role"), {"fields": ("role",)}),
    )
