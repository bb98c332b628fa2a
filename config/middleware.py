"""Refuse request bodies larger than any form here accepts, before Django reads them
(uploads are capped at 5 MB per file; without this a 1 GB POST is spooled to disk
before a form can say no)."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            message = _("This upload is too large (at most %(mb)s MB).") % {
                "mb": limit // (1024 * 1024)
            }
            return HttpResponse(message, status=413, content_type="text/plain")
        return self.get_response(request)
