"""The Alipay open API client: python-alipay-sdk's `AliPay`, which signs every
request with the app's private key (RSA2) and verifies every answer with Alipay's
public key, with its HTTP sent through `requests` instead of the SDK's urllib call.
That tells a timeout, a refused connection or a server error (ProviderUnavailable:
the request may or may not have been taken) from Alipay's refusal of it
(AlipayRefused, carrying Alipay's sub_code and sub_msg). The keys are read from
files, PEM or the bare base64 text Alipay's key tool and console hand out."""

import datetime
import json
import zoneinfo
from pathlib import Path

import requests
from alipay import AliPay
from alipay.exceptions import AliPayException, AliPayValidationError
from alipay.utils import AliPayConfig
from Cryptodome.PublicKey import RSA
from django.utils.translation import gettext as _

from orders.providers.base import ProviderError, ProviderUnavailable

# Alipay reads and writes every time in China time, whatever TIME_ZONE the site has.
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
SUCCESS = "10000"
# Alipay's "busy, call again with the same parameters" answers.
BUSY_CODES = {"20000"}
BUSY_SUB_CODES = {"ACQ.SYSTEM_ERROR", "aop.ACQ.SYSTEM_ERROR", "isp.unknow-error"}


class AlipayRefused(ProviderError):
    """Alipay answered, and refused: `sub_code` says why (ACQ.TRADE_NOT_EXIST...)."""

    def __init__(self, sub_code: str, message: str):
        super().__init__(message)
        self.sub_code = sub_code


def unavailable() -> ProviderUnavailable:
    return ProviderUnavailable(_("Alipay did not answer in time."))


def unreadable() -> ProviderUnavailable:
    # Not Alipay's JSON (a proxy's error page, a cut-off answer): whether the
    # request was taken is unknown, so it is asked again with the same ids.
    return ProviderUnavailable(_("Alipay's answer could not be read."))


def key_text(path: str, *, private: bool) -> str:
    """The RSA key in the file at `path`, as PEM; OSError or ValueError if it
    cannot be read or is not such a key (an app key must be private, Alipay's
    must be public)."""
    text = Path(path).read_text(encoding="ascii").strip()
    if not text.startswith("-----"):
        # The bare base64 of Alipay's key tool: PKCS#8 or SubjectPublicKeyInfo DER.
        label = "PRIVATE KEY" if private else "PUBLIC KEY"
        text = f"-----BEGIN {label}-----\n{text}\n-----END {label}-----"
    try:
        key = RSA.import_key(text)
    except (ValueError, IndexError, TypeError) as exc:
        raise ValueError("not an RSA key") from exc
    if key.has_private() != private:
        raise ValueError("not a private key" if private else "not a public key")
    return text


def china_now() -> datetime.datetime:
    return datetime.datetime.now(CHINA)


class AlipayClient(AliPay):
    """The SDK's client; its requests go out through `requests`, with a timeout."""

    def __init__(self, *, timeout: float, **kwargs):
        super().__init__(config=AliPayConfig(timeout=timeout), **kwargs)
        self.timeout = timeout

    @property
    def gateway(self) -> str:
        """Alipay's gateway URL (the sandbox's when the client was built for it)."""
        return self._gateway

    def build_body(self, method, biz_content=None, **kwargs):
        data = super().build_body(method, biz_content, **kwargs)
        # The SDK stamps the server's local time; Alipay reads China time.
        data["timestamp"] = china_now().strftime(TIME_FORMAT)
        return data

    def download(self, url: str) -> bytes:
        """GET `url`: the body of a 200; ProviderUnavailable for no answer in time,
        no connection or a server error; ProviderError for any other status."""
        try:
            response = requests.get(url, timeout=self.timeout)
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise unavailable() from exc
        except requests.RequestException as exc:
            raise ProviderError(_("Alipay could not be asked.")) from exc
        if response.status_code >= 500:
            raise unavailable()
        if response.status_code != 200:
            raise ProviderError(
                _("Alipay answered HTTP %(status)s.") % {"status": response.status_code}
            )
        return response.content

    def verified_sync_response(self, data, response_type):
        """The SDK's call (the same signed URL), sent with `requests`; the answer
        is checked by the SDK's own verification of Alipay's signature over the
        response node, and a code other than 10000 is a refusal."""
        url = self._gateway + "?" + self.sign_data(data)
        try:
            raw = self.download(url).decode("utf-8")
            answer = json.loads(raw)
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise unreadable() from None
        if not isinstance(answer, dict):
            raise unreadable()
        node = answer.get(response_type)
        if "error_response" in answer or "sign" not in answer:
            # Alipay signs every answer but a refusal of the request itself (a
            # bad app id or signature): only its message is used, as a refusal.
            node = answer.get("error_response", node)
            if not isinstance(node, dict):
                raise unreadable()
            raise refusal(node)
        try:
            node = self._verify_and_return_sync_response(raw, response_type)
        except AliPayValidationError:
            raise ProviderError(
                _("Alipay's answer was not signed by Alipay.")
            ) from None
        except (AliPayException, ValueError, TypeError, AttributeError):
            raise unreadable() from None
        if not isinstance(node, dict):
            raise unreadable()
        if node.get("code") != SUCCESS:
            raise refusal(node)
        return node


def refusal(node: dict) -> ProviderError:
    """The error an answer that is not a success stands for."""
    code, sub_code = str(node.get("code", "")), str(node.get("sub_code", ""))
    message = str(node.get("sub_msg") or node.get("msg") or code)[:200]
    if code in BUSY_CODES or sub_code in BUSY_SUB_CODES:
        return ProviderUnavailable(message)
    return AlipayRefused(sub_code, message)
