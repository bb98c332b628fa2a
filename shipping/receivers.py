"""Signal receivers of shipping (wired in shipping.apps): a storefront opened
gets the default shipping template."""

from shipping.services import template_default


def storefront_opened(instance, created, raw=False, **_signal) -> None:
    if created and not raw:
        template_default(instance)
