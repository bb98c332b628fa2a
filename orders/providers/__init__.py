"""The payment providers and which of them a site offers (docs/PAYMENTS.md). Every
provider implements orders.providers.base.PaymentProvider; `PROVIDERS` has them
all (a payment made through one still refunds after it is switched off), and a
provider is offered only when settings.PAYMENT_PROVIDERS names it and none of
its settings is missing."""

from django.conf import settings

from orders.models import PaymentProviderCode
from orders.providers.alipay import AlipayProvider
from orders.providers.bank_transfer import BankTransfer
from orders.providers.base import InvalidCallback, PaymentProvider
from orders.providers.on_account import OnAccount
from orders.providers.on_delivery import PayOnDelivery
from orders.providers.simulated import SimulatedGateway
from orders.providers.wechat import WeChatPay

PROVIDERS: dict[str, PaymentProvider] = {
    provider.code: provider
    for provider in (
        SimulatedGateway(),
        PayOnDelivery(),
        WeChatPay(),
        AlipayProvider(),
        BankTransfer(),
        OnAccount(),
    )
}


def codes_where(**flags) -> list[str]:
    """The codes of the providers with these flags (`pays_later=True`…)."""
    return [
        code
        for code, provider in PROVIDERS.items()
        if all(getattr(provider, flag) == value for flag, value in flags.items())
    ]


def enabled_providers() -> dict[str, PaymentProvider]:
    """The providers settings.PAYMENT_PROVIDERS turns on and that are fully
    configured, in that order."""
    return {
        code: PROVIDERS[code]
        for code in settings.PAYMENT_PROVIDERS
        if code in PROVIDERS and not PROVIDERS[code].missing_settings()
    }


def provider_choices() -> list[tuple[str, str]]:
    labels = dict(PaymentProviderCode.choices)
    return [(code, labels[code]) for code in enabled_providers()]


def provider_for(code: str) -> PaymentProvider:
    """An enabled provider (a provider switched off answers nothing)."""
    try:
        return enabled_providers()[code]
    except KeyError:
        raise InvalidCallback(f"unknown provider {code!r}") from None


def pay_form_goes_to(checkout) -> list[str]:
    """The origins outside the site the checkout's pay form may be sent on to:
    those of its provider, if it is offered."""
    provider = enabled_providers().get(checkout.provider)
    return provider.sends_buyers_to() if provider else []
