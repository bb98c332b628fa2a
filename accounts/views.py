"""Pages: sign-up, the role-based landing after sign-in, sign-in by a code sent to
the phone, verifying one's phone, the sign-in lockout answer, and the throttled
API token doors (a password, or a phone code)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.forms import PhoneCodeForm, SignUpForm
from accounts.models import PhoneCode
from accounts.phone_codes import phone_code_send, phone_verify
from accounts.selectors import home_url_for
from accounts.services import buyer_sign_up
from accounts.sign_in import PhoneCodeRequestSerializer, TokenRequestSerializer
from accounts.throttles import WriteThrottle, client_ip, throttled

PHONE_BACKEND = "accounts.backends.PhoneCodeBackend"


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
    """/api/token/: DRF's token for a username and password (or a phone and its
    code: TokenRequestSerializer), rate-limited per
    address on top of the per-account lockout."""

    serializer_class = TokenRequestSerializer
    throttle_classes = [WriteThrottle]
    throttle_scope = "sign_in"

    def get_serializer_context(self):
        # Authenticate with Django's own request: django-axes marks a lockout on it,
        # and AxesMiddleware (which never sees DRF's wrapper) answers with a 429.
        return {**super().get_serializer_context(), "request": self.request._request}


class PhoneCodeRequest(APIView):
    """/api/token/code/: send a sign-in code to a verified phone (202 whether or
    not the number has an account; 429 when asked too often); /api/token/ then
    takes the phone and the code."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = [WriteThrottle]
    throttle_scope = "sign_in"

    @extend_schema(
        request=PhoneCodeRequestSerializer,
        responses={202: OpenApiTypes.OBJECT, 429: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        serializer = PhoneCodeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            phone_code_send(
                phone=serializer.validated_data["phone"],
                purpose=PhoneCode.Purpose.SIGN_IN,
                ip=client_ip(request),
            )
        except ValidationError as exc:
            return Response({"detail": exc.messages[0]}, status=429)
        return Response({"detail": _code_sent()}, status=202)


def _code_sent() -> str:
    return _(
        "If this number signs in an account, a code is on its way. It works "
        "once, for %(minutes)d minutes."
    ) % {"minutes": settings.PHONE_CODE_MINUTES}


def _code_step(request, form, purpose, user=None) -> bool:
    """The page's first step: send a code to the form's phone; False (with the
    reason on the form) if it was refused."""
    try:
        phone_code_send(
            phone=form.cleaned_data["phone"],
            purpose=purpose,
            ip=client_ip(request),
            user=user,
        )
    except ValidationError as exc:
        form.add_error("phone", exc)
        return False
    return True


def _code_given(form) -> bool:
    if form.cleaned_data["code"]:
        return True
    form.add_error("code", _("Enter the 6-digit code sent to the phone."))
    return False


@require_http_methods(["GET", "POST"])
@throttled("sign_in")
def phone_sign_in(request):
    """Sign in with a verified phone and the code sent to it: "send" sends a
    code, "sign_in" checks it (a wrong one counts towards the lockout)."""
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "accounts:home")
    sending = request.POST.get("action") == "send"
    form = PhoneCodeForm(request.POST if request.method == "POST" else None)
    code_sent = False
    if request.method == "POST" and form.is_valid():
        if sending:
            code_sent = _code_step(request, form, PhoneCode.Purpose.SIGN_IN)
            if code_sent:
                messages.info(request, _code_sent())
        elif _code_given(form):
            user = authenticate(
                request,
                username=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
            )
            if user is not None:
                login(request, user, backend=PHONE_BACKEND)
                return redirect(next_url or "accounts:home")
            form.add_error(
                "code", _("The code is wrong or has expired. Ask for a new one.")
            )
    context = {"form": form, "next": next_url, "code_sent": code_sent}
    return render(request, "accounts/phone_sign_in.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@throttled("sign_in")
def phone_settings(request):
    """The user's mobile phone: a code sent to a number verifies it as theirs,
    for text messages and signing in by code."""
    sending = request.POST.get("action") == "send"
    form = PhoneCodeForm(request.POST if request.method == "POST" else None)
    code_sent = False
    if request.method == "POST" and form.is_valid():
        if sending:
            code_sent = _code_step(
                request, form, PhoneCode.Purpose.VERIFY, user=request.user
            )
            if code_sent:
                messages.info(request, _("A code is on its way to this number."))
        elif _code_given(form):
            try:
                phone_verify(
                    user=request.user,
                    phone=form.cleaned_data["phone"],
                    code=form.cleaned_data["code"],
                )
            except ValidationError as exc:
                form.add_error("code", exc)
            else:
                messages.success(request, _("Your mobile phone is verified."))
                return redirect("accounts:phone")
    context = {"form": form, "code_sent": code_sent}
    return render(request, "accounts/phone.html", context)


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
