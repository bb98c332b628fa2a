"""Payment pages: start paying a checkout, the simulated gateway's pay page, and
the webhook gateways call back (signed, so exempt from CSRF). WeChat's sign-in
before WeChat Pay inside WeChat is in orders.views.wechat."""

import logging

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.permissions import role_required
from common.web import REFUSED, call_service
from orders.models import OrderStatus, Payment, PaymentProviderCode, PaymentStatus
from orders.providers import PROVIDERS, InvalidCallback, enabled_providers
from orders.providers.base import Buyer
from orders.selectors import checkouts_of
from orders.services.payments import ReplayedCallback, payment_callback, payment_start

logger = logging.getLogger(__name__)


@role_required(Role.BUYER)
@require_POST
def pay(request, pk):
    placed = get_object_or_404(checkouts_of(request.user), pk=pk)
    return started(request, placed)


def started(request, placed):
    """Start paying the checkout `placed` from the buyer's device: sent to the
    gateway, or shown its QR code or WeChat's bridge; a refusal is a message."""
    start = call_service(
        request, payment_start, checkout=placed, buyer=Buyer.of(request)
    )
    if start is REFUSED or start is None:
        return redirect("orders:home")
    if start.redirect_url:
        return redirect(start.redirect_url)
    payment = placed.payments.get(status=PaymentStatus.PENDING)
    # A viewBox and no fixed size, so the page's CSS sizes the code to be scanned.
    qr_svg = (
        segno.make(start.qr_code, error="m").svg_inline(scale=5, omitsize=True)
        if start.qr_code
        else ""
    )
    return render(
        request,
        "orders/pay_start.html",
        {"start": start, "payment": payment, "qr_svg": qr_svg},
    )


@role_required(Role.BUYER)
@require_http_methods(["GET", "POST"])
def gateway(request, reference):
    """The simulated gateway's page. Paying here sends the webhook handler a
    callback signed as a real gateway signs it."""
    if PaymentProviderCode.SIMULATED not in enabled_providers():
        raise Http404
    payment = get_object_or_404(
        Payment.objects.select_related("checkout"),
        reference=reference,
        provider=PaymentProviderCode.SIMULATED,
        checkout__buyer=request.user,
    )
    orders = payment.checkout.orders.select_related("farmer").order_by("pk")
    payable = payment.status == PaymentStatus.PENDING and any(
        order.status == OrderStatus.PENDING_PAYMENT for order in orders
    )
    if request.method == "POST":
        if payable:
            body, headers = PROVIDERS[payment.provider].callback_for(payment)
            try:
                payment_callback(
                    provider_code=payment.provider, body=body, headers=headers
                )
            except InvalidCallback as exc:
                logger.warning("simulated callback refused: %s", exc)
        # A double tap pays once; either way, say what is true now.
        payment.refresh_from_db()
        if payment.status == PaymentStatus.PAID:
            messages.success(request, _("Paid. The farmers have been told."))
        elif payable:
            messages.error(request, _("The payment failed. Please try again."))
        else:
            messages.error(request, _("Nothing here is waiting for payment."))
        return redirect("orders:home")
    return render(
        request,
        "orders/gateway.html",
        {"payment": payment, "orders": orders, "payable": payable},
    )


@csrf_exempt
@require_POST
def webhook(request, provider):
    """A gateway's callback: 200 when applied (or already applied), 400 when it is
    not the gateway's, 409 when replayed. Nothing changes unless it is 200."""
    if provider not in enabled_providers():
        return JsonResponse({"error": "unknown provider"}, status=404)
    try:
        payment_callback(
            provider_code=provider, body=request.body, headers=request.headers
        )
    except ReplayedCallback:
        logger.warning("%s callback refused: replayed", provider)
        return JsonResponse({"error": "replayed"}, status=409)
    except InvalidCallback as exc:
        logger.warning("%s callback refused: %s", provider, exc)
        return JsonResponse({"error": str(exc)}, status=400)
    except ValidationError as exc:
        # A refund the callback needed failed at the gateway: nothing changed,
        # and the gateway sends the callback again later.
        logger.error("%s callback not applied: %s", provider, exc)
        return JsonResponse({"error": "try again later"}, status=503)
    body, content_type = PROVIDERS[provider].acknowledge()
    return HttpResponse(body, content_type=content_type)
