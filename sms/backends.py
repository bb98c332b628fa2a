"""Where text messages go: one interface, three backends (settings.SMS_BACKEND).

- AliyunBackend: Aliyun SMS (dysmsapi 2017-05-25, SendSms), through its
  official SDK; the sign name and each purpose's template code come from
  settings (SMS_SIGN_NAME, SMS_TEMPLATES).
- ConsoleBackend: prints each message, for development.
- FileBackend: appends each message to SMS_FILE_PATH as a line of JSON, for the
  tests.

A backend sends one message or raises SmsError, saying whether trying again
later may help."""

import json
import logging
import sys
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    def __init__(self, code: str, message: str = "", *, retry: bool = True):
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.retry = retry


class Backend:
    """Send one message: the provider's id for it, or SmsError."""

    required_settings: tuple[str, ...] = ()

    def missing_settings(self) -> list[str]:
        return [name for name in self.required_settings if not getattr(settings, name)]

    def send(self, *, phone: str, purpose: str, params: dict) -> str:
        raise NotImplementedError


class ConsoleBackend(Backend):
    def send(self, *, phone, purpose, params):
        sys.stdout.write(
            f"SMS to {phone} [{purpose}] {json.dumps(params, ensure_ascii=False)}\n"
        )
        sys.stdout.flush()
        return ""


class FileBackend(Backend):
    required_settings = ("SMS_FILE_PATH",)

    def send(self, *, phone, purpose, params):
        line = {"phone": phone, "purpose": purpose, "params": params}
        with open(settings.SMS_FILE_PATH, "a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return ""


# Aliyun's answer codes that another attempt cannot cure: the number, the
# template, the signature or the parameters are wrong (SendSms's error codes).
ALIYUN_PERMANENT = {
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.MOBILE_COUNT_OVER_LIMIT",
    "isv.TEMPLATE_MISSING_PARAMETERS",
    "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.SMS_SIGNATURE_ILLEGAL",
    "isv.SMS_SIGN_ILLEGAL",
    "isv.INVALID_PARAMETERS",
    "isv.INVALID_JSON_PARAM",
    "isv.PARAM_LENGTH_LIMIT",
    "isv.PARAM_NOT_SUPPORT_URL",
    "isv.BLACK_KEY_CONTROL_LIMIT",
}


class AliyunBackend(Backend):
    required_settings = (
        "ALIYUN_SMS_ACCESS_KEY_ID",
        "ALIYUN_SMS_ACCESS_KEY_SECRET",
        "SMS_SIGN_NAME",
    )

    def missing_settings(self):
        missing = super().missing_settings()
        missing += [
            f"SMS_TEMPLATE_{purpose.upper()}"
            for purpose, code in settings.SMS_TEMPLATES.items()
            if not code
        ]
        return missing

    def send(self, *, phone, purpose, params):
        from alibabacloud_dysmsapi20170525 import models
        from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
        from alibabacloud_tea_util.models import RuntimeOptions
        from darabonba.exceptions import UnretryableException

        template = settings.SMS_TEMPLATES.get(purpose)
        if not template:
            raise SmsError(
                "no_template", f"SMS_TEMPLATE_{purpose.upper()}", retry=False
            )
        request = models.SendSmsRequest(
            phone_numbers=phone,
            sign_name=settings.SMS_SIGN_NAME,
            template_code=template,
            template_param=json.dumps(params, ensure_ascii=False),
        )
        timeout = int(settings.SMS_TIMEOUT * 1000)
        # One attempt per call: the outbox retries, with its backoff.
        runtime = RuntimeOptions(
            autoretry=False, connect_timeout=timeout, read_timeout=timeout
        )
        try:
            client = _aliyun_client(
                settings.ALIYUN_SMS_ACCESS_KEY_ID,
                settings.ALIYUN_SMS_ACCESS_KEY_SECRET,
                settings.ALIYUN_SMS_ENDPOINT,
            )
            answer = client.send_sms_with_options(request, runtime)
        except AlibabaCloudException as exc:
            raise SmsError(str(exc.code), str(exc.message)[:150]) from exc
        except (UnretryableException, OSError) as exc:
            # The SDK wraps what the connection raised (with autoretry off).
            raise SmsError("network", str(exc)[:150]) from exc
        body = answer.body
        if body.code != "OK":
            raise SmsError(
                body.code, body.message or "", retry=body.code not in ALIYUN_PERMANENT
            )
        return body.biz_id or ""


@cache
def _aliyun_client(key_id: str, secret: str, endpoint: str):
    from alibabacloud_dysmsapi20170525.client import Client
    from alibabacloud_tea_openapi.models import Config

    return Client(
        Config(access_key_id=key_id, access_key_secret=secret, endpoint=endpoint)
    )


def backend() -> Backend:
    return import_string(settings.SMS_BACKEND)()
