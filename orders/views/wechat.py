"""WeChat's sign-in before paying inside WeChat: JSAPI pay needs the buyer's
openid, which WeChat's silent OAuth (snsapi_base) gives. The pay page sends the
buyer here with their checkout; this page sends them to WeChat with a one-time
state kept in their session, and WeChat sends them back here with a code. Only
a state this session was given is taken (so another site cannot start it), and
then the buyer pays at once."""

import hmac
import secrets

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Role
from accounts.permissions import role_required
from orders.models import PaymentProviderCode
from orders.providers import PROVIDERS, enabled_providers
from orders.providers.base import ProviderError
from orders.selectors import checkouts_of
from orders.views.payments import started

SESSION_KEY = "wechat_oauth"
OPENID_KEY = "wechat_openid"  # what Buyer.of reads


def _checkout_id(value: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


@role_required(Role.BUYER)
@require_GET
def wechat_oauth(request):
    """?checkout=<id>: off to WeChat's sign-in; ?code=…&state=…: back from it."""
    if PaymentProviderCode.WECHAT not in enabled_providers():
        raise Http404
    if "state" in request.GET or "code" in request.GET:
        return _came_back(request)
    placed = get_object_or_404(
        checkouts_of(request.user), pk=_checkout_id(request.GET.get("checkout", ""))
    )
    state = secrets.token_hex(16)  # WeChat takes [A-Za-z0-9], up to 128
    request.session[SESSION_KEY] = {"state": state, "checkout": placed.pk}
    here = settings.SITE_URL + reverse("orders:wechat_oauth")
    return redirect(PROVIDERS[PaymentProviderCode.WECHAT].authorize_url(here, state))


def _came_back(request):
    pending = request.session.pop(SESSION_KEY, None)
    state = request.GET.get("state", "")
    if not (
        isinstance(pending, dict)
        and state
        and hmac.compare_digest(str(pending.get("state")).encode(), state.encode())
    ):
        messages.error(
            request, _("That WeChat sign-in was not started here. Please pay again.")
        )
        return redirect("orders:home")
    placed = get_object_or_404(checkouts_of(request.user), pk=pending.get("checkout"))
    code = request.GET.get("code", "")
    if not code or len(code) > 512:
        messages.error(request, _("WeChat did not sign you in. Please pay again."))
        return redirect("orders:checkout_done", placed.pk)
    try:
        openid = PROVIDERS[PaymentProviderCode.WECHAT].openid_for(code)
    except ProviderError as exc:
        messages.error(
            request,
            _("WeChat did not sign you in (%(reason)s). Please pay again.")
            % {"reason": exc},
        )
        return redirect("orders:checkout_done", placed.pk)
    request.session[OPENID_KEY] = openid
    return started(request, placed)
