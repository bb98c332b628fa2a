"""Whole public pages cached for visitors with nothing of their own on the page:
signed out, with no session (so no cart) and no flash messages. Such a page
differs from one visitor to the next only by its language, its URL and the CSRF
token of its forms (the language switcher, "add to cart"). It is cached per
language, URL and a version the view names (the catalogue's: a listing edit
shows at once), for CATALOGUE_CACHE_SECONDS at most; each visitor's token is put
into the cached page on the way out, so their forms post as on a fresh page.
Everyone else gets the view itself. Only the URLs the view calls cacheable are
stored (by default those without a query string), so made-up URLs cannot fill
the cache."""

import hashlib
import re
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.html import escape

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
HOLE = "\x00csrf\x00"  # where each visitor's token goes


def _personal(request) -> bool:
    """Whether the page could hold something of this visitor's own."""
    cookies = request.COOKIES
    return (
        request.user.is_authenticated
        or settings.SESSION_COOKIE_NAME in cookies
        or CookieStorage.cookie_name in cookies
    )


def cached_public_page(version, cacheable=lambda request: not request.GET):
    """Cache the decorated GET view's 200 pages for visitors with nothing of their
    own on them, at the URLs `cacheable(request)` accepts (`version()` is part of
    the key)."""

    def decorator(view):
        @wraps(view)
        def serve(request, *args, **kwargs):
            if request.method != "GET" or _personal(request) or not cacheable(request):
                return view(request, *args, **kwargs)
            path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
            key = f"page:{request.LANGUAGE_CODE}:{version()}:{path}"
            page = cache.get(key)
            if page is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming:
                    return response
                page = TOKEN.sub(rf"\g<1>{HOLE}\g<2>", response.content.decode())
                cache.set(key, page, settings.CATALOGUE_CACHE_SECONDS)
            token = escape(get_token(request))
            return HttpResponse(page.replace(HOLE, token))

        return serve

    return decorator
