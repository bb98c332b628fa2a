"""The notification list (newest first, paginated), and marking them all read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from common.web import paginate
from notifications.messages import render as render_message
from notifications.models import Notification
from notifications.services import notifications_mark_read

PER_PAGE = 30


@login_required
@require_safe
def inbox(request):
    notifications = Notification.objects.filter(recipient=request.user).select_related(
        "order__farmer", "order__shipment", "farmer"
    )
    context = paginate(request, notifications, PER_PAGE)
    context["items"] = [(n, render_message(n)) for n in context["page_obj"]]
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_all_read(request):
    notifications_mark_read(user=request.user)
    return redirect("notifications:inbox")
