"""The send log in the admin, read-only: messages are written by the outbox."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin
from sms.models import TextMessage


@admin.register(TextMessage)
class TextMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "purpose", "phone", "status", "attempts", "sent_at")
    list_filter = ("status", "purpose")
    search_fields = ("phone",)
    exclude = ("params",)
