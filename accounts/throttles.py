"""Rate limits on the doors an attacker knocks on: sign-in for an API token, sign-up
and checkout. One throttle, DRF's scoped rates (settings DEFAULT_THROTTLE_RATES),
serves the API views and, through `throttled`, the HTML pages."""

from functools import wraps

from django.shortcuts import render
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import ScopedRateThrottle


def client_ip(request) -> str:
    """The visitor's address, as DRF's throttles read it (NUM_PROXIES from
    TRUSTED_PROXY_COUNT): REMOTE_ADDR, or the address the trusted proxies saw.
    django-axes counts failed sign-ins on the same address (AXES_CLIENT_IP_CALLABLE).
    """
    return ScopedRateThrottle().get_ident(getattr(request, "_request", request))


class WriteThrottle(ScopedRateThrottle):
    """The view's `throttle_scope` rate, counted on writes only: reading a page or a
    list is never throttled."""

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


def throttled(scope: str):
    """Decorate a page view: past the scope's rate, POSTs get a 429 page saying when
    to try again, and the view never runs (so nothing is written)."""

    def decorate(view_func):
        scoped = type("ThrottledPage", (), {"throttle_scope": scope})

        @wraps(view_func)
        def view(request, *args, **kwargs):
            throttle = WriteThrottle()
            if throttle.allow_request(request, scoped):
                return view_func(request, *args, **kwargs)
            minutes = max(1, round((throttle.wait() or 60) / 60))
            return render(request, "too_many.html", {"minutes": minutes}, status=429)

        return view

    return decorate
