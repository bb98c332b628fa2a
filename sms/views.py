"""The send log: every text message, newest first, for platform staff (staff
status is platform staff's alone: accounts.models), filtered by status or by
phone, paginated."""

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_safe

from common.web import paginate
from sms.models import TextMessage

PER_PAGE = 50


@login_required
@require_safe
def send_log(request):
    if not request.user.is_staff:
        raise PermissionDenied
    messages = TextMessage.objects.all()
    status = request.GET.get("status", "")
    if status in TextMessage.Status.values:
        messages = messages.filter(status=status)
    phone = request.GET.get("phone", "")
    if re.fullmatch(r"\d{11}", phone):
        messages = messages.filter(phone=phone)
    context = {
        "statuses": TextMessage.Status.choices,
        "status": status,
        "phone": phone if re.fullmatch(r"\d{11}", phone) else "",
        **paginate(request, messages, PER_PAGE),
    }
    return render(request, "sms/send_log.html", context)
