"""A stand-in for WeChat Pay's servers at the HTTP layer (`responses`), for the
WeChat Pay tests: it checks each request's Authorization signature with the
merchant's public key, answers as API v3 documents (a 2xx signed with the
platform key, as WeChat Pay signs its answers), and builds notifications exactly
as WeChat Pay sends them: the resource encrypted with AES-256-GCM under the API
v3 key, the body signed over timestamp, nonce and body with the platform key."""

import base64
import json
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from orders.providers.wechat_client import fen

API = "https://api.mch.weixin.qq.com"
MCHID = "1900000109"
APPID = "wxd678efh567hg6787"
APIV3_KEY = "a12d3924fd499edac8a5efc0a1b2c3d4"
MERCHANT_SERIAL = "444F4864EA9B34415B0A1F8FB7D8E2E4A5C93E2F"
PUBLIC_KEY_ID = "PUB_KEY_ID_0119000001092025010100000000000001"
SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
AUTHORIZATION = re.compile(
    r'WECHATPAY2-SHA256-RSA2048 mchid="(?P<mchid>[^"]+)",nonce_str="(?P<nonce>[^"]+)",'
    r'signature="(?P<signature>[^"]+)",timestamp="(?P<timestamp>\d+)",'
    r'serial_no="(?P<serial>[^"]+)"'
)


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def sign(key: rsa.RSAPrivateKey, text: str) -> str:
    """SHA256withRSA, base64: how WeChat Pay and the merchant sign."""
    signature = key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()


def verify(public_key, text: str, signature: str) -> bool:
    try:
        public_key.verify(
            base64.b64decode(signature),
            text.encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except Exception:
        return False
    return True


@dataclass
class Keys:
    """The merchant's API key and WeChat Pay's key, and their files."""

    merchant: rsa.RSAPrivateKey
    platform: rsa.RSAPrivateKey
    merchant_path: Path
    platform_public_path: Path

    @classmethod
    def made_in(cls, folder: Path) -> "Keys":
        merchant, platform = new_key(), new_key()
        merchant_path = folder / "apiclient_key.pem"
        merchant_path.write_bytes(
            merchant.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        platform_public_path = folder / "pub_key.pem"
        platform_public_path.write_bytes(
            platform.public_key().public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo,
            )
        )
        return cls(merchant, platform, merchant_path, platform_public_path)


class FakeWeChat:
    """WeChat Pay's API as `responses` answers it, and its notifications."""

    def __init__(self, mock, keys: Keys, serial: str = PUBLIC_KEY_ID):
        self.mock = mock
        self.keys = keys
        self.serial = serial
        self.calls: list[tuple[str, str, dict | None]] = []

    # --- Answers -----------------------------------------------------------------

    def signed_headers(self, body: str, *, key=None, serial=None, timestamp=None):
        """The Wechatpay-* headers of an answer or notification carrying `body`."""
        timestamp = str(int(time.time() if timestamp is None else timestamp))
        nonce = secrets.token_hex(16).upper()
        message = f"{timestamp}\n{nonce}\n{body}\n"
        return {
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Timestamp": timestamp,
            "Wechatpay-Serial": serial or self.serial,
            "Wechatpay-Signature": sign(key or self.keys.platform, message),
            "Wechatpay-Signature-Type": SIGNATURE_TYPE,
        }

    def _check_authorization(self, request) -> None:
        """The SDK signs every request with the merchant key (as WeChat checks)."""
        found = AUTHORIZATION.fullmatch(request.headers.get("Authorization", ""))
        assert found, request.headers.get("Authorization")
        assert found["mchid"] == MCHID and found["serial"] == MERCHANT_SERIAL
        body = request.body or b""
        body = body.decode() if isinstance(body, bytes) else body
        message = (
            f"{request.method}\n{request.path_url}\n{found['timestamp']}\n"
            f"{found['nonce']}\n{body}\n"
        )
        assert verify(self.keys.merchant.public_key(), message, found["signature"])

    def answer(self, method: str, path: str, payload=None, *, status=200, **kwargs):
        """Answer requests to `path` (a regular expression after the host) with
        `payload` (a dict, a function of the request's JSON, or None: no body),
        signed when `status` is a success. `signer` / `serial` change the
        answer's signature."""
        signer, serial = kwargs.get("signer"), kwargs.get("serial")

        def reply(request):
            self._check_authorization(request)
            sent = json.loads(request.body) if request.body else None
            self.calls.append((request.method, request.path_url, sent))
            data = payload(sent) if callable(payload) else payload
            text = "" if data is None else json.dumps(data, ensure_ascii=False)
            headers = {"Request-ID": uuid.uuid4().hex}
            if 200 <= status < 300:
                headers |= self.signed_headers(text, key=signer, serial=serial)
            return status, headers, text

        self.mock.add_callback(
            method,
            re.compile(re.escape(API) + path + r"(\?.*)?$"),
            callback=reply,
            content_type="application/json",
        )

    def serves(self, path: str, content: bytes) -> None:
        """A file to download (a bill): signed for, but not signed itself."""

        def reply(request):
            self._check_authorization(request)
            self.calls.append((request.method, request.path_url, None))
            return 200, {}, content

        self.mock.add_callback(
            "GET",
            re.compile(re.escape(API) + path + r"(\?.*)?$"),
            callback=reply,
            content_type="application/octet-stream",
        )

    def fails(self, method: str, path: str, error: Exception) -> None:
        """Requests to `path` raise `error` (a timeout, a refused connection)."""
        self.mock.add(method, re.compile(re.escape(API) + path), body=error)

    def bodies(self, path_part: str) -> list[dict | None]:
        """The JSON bodies sent to paths containing `path_part`."""
        return [body for _method, path, body in self.calls if path_part in path]

    # --- Notifications ------------------------------------------------------------

    def notification(self, event_type: str, resource: dict, **kwargs):
        """(body, headers) of a notification of `resource`, as documented.
        kwargs: id, original_type, key (signer), serial, timestamp, and
        plaintext (encrypted instead of the resource's JSON)."""
        original = kwargs.get("original_type") or (
            "refund" if event_type.startswith("REFUND") else "transaction"
        )
        nonce = secrets.token_hex(6)
        ciphertext = AESGCM(APIV3_KEY.encode()).encrypt(
            nonce.encode(),
            kwargs.get("plaintext", json.dumps(resource, ensure_ascii=False)).encode(),
            original.encode(),
        )
        envelope = {
            "id": kwargs.get("id") or str(uuid.uuid4()),
            "create_time": "2025-05-20T13:29:35+08:00",
            "resource_type": "encrypt-resource",
            "event_type": event_type,
            "summary": "支付成功" if original == "transaction" else "退款成功",
            "resource": {
                "original_type": original,
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": base64.b64encode(ciphertext).decode(),
                "associated_data": original,
                "nonce": nonce,
            },
        }
        body = json.dumps(envelope, ensure_ascii=False)
        headers = self.signed_headers(
            body,
            key=kwargs.get("key"),
            serial=kwargs.get("serial"),
            timestamp=kwargs.get("timestamp"),
        )
        return body.encode(), headers

    def paid(self, payment, **changes) -> dict:
        """The resource of TRANSACTION.SUCCESS for `payment`."""
        total = fen(payment.amount)
        resource = {
            "mchid": MCHID,
            "appid": APPID,
            "out_trade_no": payment.reference.hex,
            "transaction_id": "42000012" + secrets.token_hex(10)[:20].upper(),
            "trade_type": "NATIVE",
            "trade_state": "SUCCESS",
            "trade_state_desc": "支付成功",
            "bank_type": "CMC",
            "attach": "",
            "success_time": "2025-05-20T13:29:35+08:00",
            "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
            "amount": {
                "total": total,
                "payer_total": total,
                "currency": "CNY",
                "payer_currency": "CNY",
            },
        }
        return resource | changes

    def refunded(self, refund, status: str = "SUCCESS", **changes) -> dict:
        """The resource of REFUND.<status> for the Refund row `refund`."""
        payment = refund.payment
        resource = {
            "mchid": MCHID,
            "out_trade_no": payment.reference.hex,
            "transaction_id": payment.transaction_id,
            "out_refund_no": refund.refund_id,
            "refund_id": "50000000382019052709732678859",
            "refund_status": status,
            "success_time": "2025-05-21T13:29:35+08:00",
            "user_received_account": "招商银行信用卡0403",
            "amount": {
                "total": fen(payment.amount),
                "refund": fen(refund.amount),
                "payer_total": fen(payment.amount),
                "payer_refund": fen(refund.amount),
            },
        }
        return resource | changes
