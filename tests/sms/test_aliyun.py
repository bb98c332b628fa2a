"""The Aliyun backend against SendSms as Aliyun documents it (dysmsapi
2017-05-25, RPC style, the V3 signature ACS3-HMAC-SHA256): the official SDK
builds and signs the request, `responses` answers it at the HTTP layer. The
test checks the request's parameters, recomputes its signature from the
documented algorithm with the test's own secret, and maps Aliyun's answers."""

import hashlib
import hmac
import json
import re
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
import responses

from sms.backends import AliyunBackend, SmsError
from sms.checks import sms_backend_configured

URL = "https://dysmsapi.aliyuncs.com/"
KEY_ID = "LTAI-test-key-id"
SECRET = "test-secret-of-this-run"


@pytest.fixture
def aliyun(settings):
    settings.SMS_BACKEND = "sms.backends.AliyunBackend"
    settings.ALIYUN_SMS_ACCESS_KEY_ID = KEY_ID
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = SECRET
    settings.ALIYUN_SMS_ENDPOINT = "dysmsapi.aliyuncs.com"
    settings.SMS_SIGN_NAME = "扶贫集市"
    settings.SMS_TEMPLATES = {
        name: f"SMS_{1000 + i}" for i, name in enumerate(settings.SMS_PURPOSES)
    }
    return AliyunBackend()


def _encode(text: str) -> str:
    """RFC 3986, as the V3 signature's canonical query string wants it."""
    return quote(text, safe="-_.~")


def expected_signature(request) -> str:
    """ACS3-HMAC-SHA256, from Aliyun's description of the V3 signature: the
    canonical request (method, path, sorted query, the signed headers, the
    payload's SHA-256), hashed, then signed with HMAC-SHA256 and the secret."""
    authorization = request.headers["Authorization"]
    signed = re.search(r"SignedHeaders=([^,]+)", authorization).group(1).split(";")
    url = urlsplit(request.url)
    query = "&".join(
        f"{_encode(k)}={_encode(v)}"
        for k, v in sorted(parse_qsl(url.query, keep_blank_values=True))
    )
    headers = {name.lower(): value for name, value in request.headers.items()}
    canonical_headers = "".join(f"{name}:{headers[name].strip()}\n" for name in signed)
    payload = hashlib.sha256(request.body or b"").hexdigest()
    canonical = "\n".join(
        [
            request.method,
            url.path or "/",
            query,
            canonical_headers,
            ";".join(signed),
            payload,
        ]
    )
    to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
    return hmac.new(SECRET.encode(), to_sign.encode(), hashlib.sha256).hexdigest()


@responses.activate
def test_a_message_is_sent_as_aliyun_documents_it(aliyun):
    responses.post(
        URL,
        json={
            "Code": "OK",
            "Message": "OK",
            "BizId": "9006197469364984400",
            "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990",
        },
    )
    biz_id = aliyun.send(
        phone="13812345678",
        purpose="order_paid",
        params={"number": "G1", "hours": "48"},
    )
    assert biz_id == "9006197469364984400"
    request = responses.calls[0].request
    assert request.method == "POST"
    assert request.headers["x-acs-action"] == "SendSms"
    assert request.headers["x-acs-version"] == "2017-05-25"
    query = dict(parse_qsl(urlsplit(request.url).query))
    assert query == {
        "PhoneNumbers": "13812345678",
        "SignName": "扶贫集市",
        "TemplateCode": "SMS_1003",  # order_paid's, the fourth purpose
        "TemplateParam": json.dumps({"number": "G1", "hours": "48"}),
    }
    authorization = request.headers["Authorization"]
    assert authorization.startswith(f"ACS3-HMAC-SHA256 Credential={KEY_ID},")
    signature = re.search(r"Signature=([0-9a-f]{64})", authorization).group(1)
    assert signature == expected_signature(request)


@responses.activate
def test_a_busy_answer_may_be_tried_again_a_bad_number_not(aliyun):
    responses.post(
        URL,
        json={"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控"},
    )
    with pytest.raises(SmsError) as busy:
        aliyun.send(phone="13812345678", purpose="ship_soon", params={})
    assert busy.value.code == "isv.BUSINESS_LIMIT_CONTROL" and busy.value.retry
    responses.replace(
        responses.POST,
        URL,
        json={"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"},
    )
    with pytest.raises(SmsError) as bad:
        aliyun.send(phone="13812345678", purpose="ship_soon", params={})
    assert bad.value.code == "isv.MOBILE_NUMBER_ILLEGAL" and not bad.value.retry


@responses.activate
def test_a_refused_key_and_a_dead_network_are_errors_to_retry(aliyun):
    responses.post(
        URL,
        status=400,
        json={
            "Code": "InvalidAccessKeyId.NotFound",
            "Message": "Specified access key is not found.",
            "RequestId": "X",
        },
    )
    with pytest.raises(SmsError) as refused:
        aliyun.send(phone="13812345678", purpose="ship_soon", params={})
    assert refused.value.code == "InvalidAccessKeyId.NotFound"
    assert refused.value.retry
    responses.replace(responses.POST, URL, body=ConnectionError("no route to host"))
    with pytest.raises(SmsError) as offline:
        aliyun.send(phone="13812345678", purpose="ship_soon", params={})
    assert offline.value.retry


def test_a_purpose_without_its_template_code_is_not_sent(aliyun, settings):
    settings.SMS_TEMPLATES = {**settings.SMS_TEMPLATES, "ship_soon": ""}
    with pytest.raises(SmsError) as missing:
        aliyun.send(phone="13812345678", purpose="ship_soon", params={})
    assert not missing.value.retry
    [warning] = sms_backend_configured()
    assert "SMS_TEMPLATE_SHIP_SOON" in warning.msg


def test_the_system_check_names_the_settings_missing(settings):
    settings.SMS_BACKEND = "sms.backends.AliyunBackend"
    settings.ALIYUN_SMS_ACCESS_KEY_ID = ""
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = ""
    settings.SMS_SIGN_NAME = "扶贫集市"
    settings.SMS_TEMPLATES = {"sign_in_code": "SMS_1"}
    [warning] = sms_backend_configured()
    assert "ALIYUN_SMS_ACCESS_KEY_ID" in warning.msg
    assert "ALIYUN_SMS_ACCESS_KEY_SECRET" in warning.msg
    assert "SMS_SIGN_NAME" not in warning.msg
    settings.SMS_BACKEND = "sms.backends.NoSuchBackend"
    [error] = sms_backend_configured()
    assert error.id == "sms.E001"


def test_every_purpose_has_a_label_and_a_template_setting(settings):
    from sms.models import TextMessage

    assert set(settings.SMS_PURPOSES) == set(TextMessage.Purpose.values)
    assert set(settings.SMS_TEMPLATES) == set(TextMessage.Purpose.values)
