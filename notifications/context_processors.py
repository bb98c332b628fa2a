"""The unread count in the navigation: one query, only when a page shows it."""

from django.utils.functional import SimpleLazyObject

from notifications.models import Notification


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(
                recipient=user, read_at__isnull=True
            ).count()
        )
    }
