"""System check of the text messages: the backend SMS_BACKEND names exists and
has all its settings (`manage.py check --deploy` names what is missing)."""

from django.conf import settings
from django.core import checks


@checks.register("sms")
def sms_backend_configured(app_configs=None, **kwargs):
    from sms.backends import backend

    try:
        missing = backend().missing_settings()
    except ImportError:
        return [
            checks.Error(
                f"SMS_BACKEND names {settings.SMS_BACKEND!r}, which is not a backend.",
                hint="sms.backends.AliyunBackend, ConsoleBackend or FileBackend.",
                id="sms.E001",
            )
        ]
    if not missing:
        return []
    return [
        checks.Warning(
            f"Text messages cannot be sent: {', '.join(missing)} missing.",
            hint="Set them in the environment (docs/SMS.md).",
            id="sms.W001",
        )
    ]
