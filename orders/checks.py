"""System checks of the orders app: every payment provider PAYMENT_PROVIDERS names
exists and has all its settings (a provider missing any is not offered at
checkout, and `manage.py check --deploy` says which settings are missing)."""

from django.conf import settings
from django.core import checks


@checks.register("payments")
def payment_providers_configured(app_configs=None, **kwargs):
    from orders.providers import PROVIDERS

    problems = []
    for code in settings.PAYMENT_PROVIDERS:
        provider = PROVIDERS.get(code)
        if provider is None:
            problems.append(
                checks.Warning(
                    f"PAYMENT_PROVIDERS names {code!r}, which is not a provider.",
                    hint=f"Known providers: {', '.join(sorted(PROVIDERS))}.",
                    id="orders.W001",
                )
            )
            continue
        missing = provider.missing_settings()
        if missing:
            problems.append(
                checks.Warning(
                    f"Payment provider {code!r} is not offered: "
                    f"{', '.join(missing)} missing.",
                    hint="Set them in the environment (docs/PAYMENTS.md).",
                    id="orders.W002",
                )
            )
    return problems
