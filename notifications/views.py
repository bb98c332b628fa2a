"""The notification list (newest first, paginated), marking them all read, and
the message settings (which kinds come by e-mail and by text message)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from common.web import paginate
from notifications.channels import chosen_channels
from notifications.forms import PreferencesForm
from notifications.messages import render as render_message
from notifications.models import Notification
from notifications.services import notifications_mark_read, preferences_save

PER_PAGE = 30


@login_required
@require_safe
def inbox(request):
    notifications = Notification.objects.filter(recipient=request.user).select_related(
        "order__farmer", "order__shipment", "farmer", "product", "text_message"
    )
    context = paginate(request, notifications, PER_PAGE)
    context["items"] = [(n, render_message(n)) for n in context["page_obj"]]
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_all_read(request):
    notifications_mark_read(user=request.user)
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    user = request.user
    current = chosen_channels(user)
    # Every box unticked posts nothing at all: still a choice to save.
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, user=user, current=current)
    if request.method == "POST" and form.is_valid():
        preferences_save(user=user, choices=form.choices())
        messages.success(request, _("Your message settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
