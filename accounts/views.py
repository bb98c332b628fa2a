"""Pages: sign-up, the role-based landing after sign-in, the sign-in lockout answer,
and the throttled API token door."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from rest_framework.authtoken.views import ObtainAuthToken

from accounts.forms import SignUpForm
from accounts.selectors import home_url_for
from accounts.services import buyer_sign_up
from accounts.sign_in import TokenRequestSerializer
from accounts.throttles import WriteThrottle, throttled


@login_required
@require_safe
def role_home(request):
    return redirect(home_url_for(request.user))


def _safe_next(request) -> str:
    """Where to go after signing up (such as back to checkout), if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): a page
    saying how long to wait, or JSON for the API token door."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    if request.path.startswith("/api/"):
        message = _(
            "Too many failed sign-ins for this account from this address. "
            "Try again in %(minutes)d minutes."
        ) % {"minutes": minutes}
        return JsonResponse({"detail": message}, status=429)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "accounts/locked_out.html", context, status=429)


class ObtainToken(ObtainAuthToken):
    """/api/token/: DRF's token for a username and password, rate-limited per
    address on top of the per-account lockout."""

    serializer_class = TokenRequestSerializer
    throttle_classes = [WriteThrottle]
    throttle_scope = "sign_in"

    def get_serializer_context(self):
        # Authenticate with Django's own request: django-axes marks a lockout on it,
        # and AxesMiddleware (which never sees DRF's wrapper) answers with a 429.
        return {**super().get_serializer_context(), "request": self.request._request}


@require_http_methods(["GET", "POST"])
@throttled("sign_up")
def sign_up(request):
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "accounts:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = buyer_sign_up(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your buyer account is ready."))
            return redirect(next_url or "accounts:home")
    return render(request, "accounts/sign_up.html", {"form": form, "next": next_url})
