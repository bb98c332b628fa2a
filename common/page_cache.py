"""Whole public pages cached for every visitor, with each visitor's own parts put
in on the way out. A page differs from one visitor to the next only by its
language, its URL, the CSRF token of its forms and its visitor's own parts: the
header and menu, the flash messages, the buyer's shipping fee, and so on. Those
parts are rendered by `{% per_visitor "template" %}`, which, on a page this
decorator serves, marks where they are; the page is cached with them left empty
(per language, URL and a version the view names: the catalogue's, so a listing
edit shows at once; for CATALOGUE_CACHE_SECONDS at most), and each visitor gets it
with their own parts rendered in, in one pass of the context processors, and
their own token in every form. Visitors with nothing of their own (signed out, no
session, no message) share one filled copy more, so theirs costs no query.
Only the URLs the view calls cacheable are stored (by default those without a
query string), so made-up URLs cannot fill the cache."""

import hashlib
import json
import re
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import Context, engines
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import mark_safe

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
HOLE = "\x00csrf\x00"  # where each visitor's token goes
# A visitor's own part: its template and arguments, then what it rendered (NUL
# never comes out of a template: PostgreSQL stores no NUL in text).
REGION = re.compile("\x00own\x00([^\x00]*)\x00\x00(.*?)\x00/own\x00", re.DOTALL)
MARKING = "page_cache_marks"  # the request attribute: mark the parts


def _personal(request) -> bool:
    """Whether the page could hold something of this visitor's own."""
    cookies = request.COOKIES
    return (
        request.user.is_authenticated
        or settings.SESSION_COOKIE_NAME in cookies
        or CookieStorage.cookie_name in cookies
    )


def own_part(request, name: str, arguments: dict, html: str) -> str:
    """`html`, a visitor's own part rendered from template `name`, marked on the
    pages this module serves (`{% per_visitor %}` calls it)."""
    if not getattr(request, MARKING, False):
        return html
    described = json.dumps([name, arguments], default=str)
    return mark_safe(f"\x00own\x00{described}\x00\x00{html}\x00/own\x00")  # noqa: S308


def _emptied(page: str) -> str:
    """The page to keep: every visitor's part left empty, every token a hole."""
    page = REGION.sub(lambda part: f"\x00own\x00{part[1]}\x00\x00\x00/own\x00", page)
    return TOKEN.sub(rf"\g<1>{HOLE}\g<2>", page)


def _as_rendered(page: str) -> str:
    """The page with its marks taken out, each part as it was rendered."""
    return REGION.sub(lambda part: part[2], page)


def _filled(page: str, request) -> str:
    """The kept page with this visitor's own parts rendered in (the context
    processors run once for all of them)."""
    values = None

    def render(part) -> str:
        nonlocal values
        if values is None:
            values = {"request": request}
            for processor in engines["django"].engine.template_context_processors:
                values.update(processor(request))
        name, arguments = json.loads(part[1])
        template = get_template(name).template
        return template.render(Context({**values, **arguments}))

    return REGION.sub(render, page)


def _with_token(page: str, request) -> HttpResponse:
    return HttpResponse(page.replace(HOLE, escape(get_token(request))))


def cached_public_page(version, cacheable=lambda request: not request.GET):
    """Cache the decorated GET view's 200 pages for every visitor, at the URLs
    `cacheable(request)` accepts (`version()` is part of the key)."""

    def decorator(view):
        @wraps(view)
        def serve(request, *args, **kwargs):
            if request.method != "GET" or not cacheable(request):
                return view(request, *args, **kwargs)
            path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
            key = f"page:{request.LANGUAGE_CODE}:{version()}:{path}"
            personal = _personal(request)
            if not personal and (shared := cache.get(f"{key}:anonymous")):
                return _with_token(shared, request)
            page = cache.get(key)
            if page is None:
                setattr(request, MARKING, True)
                try:
                    response = view(request, *args, **kwargs)
                finally:  # a 404 raised is rendered after, without the marks
                    setattr(request, MARKING, False)
                if response.status_code != 200 or response.streaming:
                    if not response.streaming:
                        response.content = _as_rendered(response.content.decode())
                    return response
                rendered = response.content.decode()
                cache.set(key, _emptied(rendered), settings.CATALOGUE_CACHE_SECONDS)
                if personal:
                    response.content = _as_rendered(rendered)
                    return response
                page = _emptied(rendered)
            filled = _filled(page, request)
            if not personal:
                shared = TOKEN.sub(rf"\g<1>{HOLE}\g<2>", filled)
                cache.set(f"{key}:anonymous", shared, settings.CATALOGUE_CACHE_SECONDS)
                return _with_token(shared, request)
            return _with_token(filled, request)

        return serve

    return decorator
