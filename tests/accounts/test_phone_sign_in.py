"""Signing in with a verified phone and a 6-digit code sent by SMS, on the page
and through the API: the code lives PHONE_CODE_MINUTES, works once, is kept
hashed, dies after PHONE_CODE_GUESSES wrong guesses; wrong codes lock the
number and address out as wrong passwords do; asking for codes is limited per
number and per address; a number with no account is answered as any other."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import PhoneCode, User
from sms.models import TextMessage

pytestmark = pytest.mark.django_db
PAGE = "/accounts/login/phone/"
PHONE = "13812345678"


@pytest.fixture
def farmer(make_user):
    return make_user(
        role="farmer",
        username="wangxiuying",
        email="",
        phone=PHONE,
        phone_verified_at=timezone.now(),
    )


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def ask(client, phone=PHONE, ip="10.0.0.1"):
    return client.post(PAGE, {"action": "send", "phone": phone}, REMOTE_ADDR=ip)


def enter(client, code, phone=PHONE, ip="10.0.0.1"):
    return client.post(
        PAGE, {"action": "sign_in", "phone": phone, "code": code}, REMOTE_ADDR=ip
    )


def last_code(texts) -> str:
    return texts()[-1]["params"]["code"]


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_farmer_signs_in_with_the_code_sent_to_their_phone(
    client, farmer, texts, on_commit
):
    with on_commit():
        page = ask(client)
    assert page.status_code == 200
    assert "验证码" in page.content.decode()
    [text] = texts()
    assert text["phone"] == PHONE and text["purpose"] == "sign_in_code"
    code = text["params"]["code"]
    assert len(code) == 6 and code.isdigit()
    # Kept hashed: the code itself is nowhere in the database, not even in the
    # send log once the message is sent.
    stored = PhoneCode.objects.get()
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    assert TextMessage.objects.get().params == {"code": "******"}
    signed_in = enter(client, code)
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(farmer.pk)


def test_a_code_works_once(client, farmer, texts, on_commit):
    with on_commit():
        ask(client)
    code = last_code(texts)
    assert enter(client, code).status_code == 302
    client.logout()
    again = enter(client, code)
    assert again.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_code_expires(client, farmer, texts, on_commit):
    with on_commit():
        ask(client)
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert enter(client, last_code(texts)).status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_code_dies_after_its_wrong_guesses(
    client, farmer, texts, on_commit, settings
):
    settings.AXES_FAILURE_LIMIT = 100  # the code's own limit, not the lockout
    with on_commit():
        ask(client)
    code = last_code(texts)
    for _ in range(settings.PHONE_CODE_GUESSES):
        assert enter(client, wrong(code)).status_code == 200
    # Guessing has used the code up: the right one no longer works.
    assert enter(client, code).status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_codes_lock_the_number_out_from_that_address(
    client, farmer, texts, on_commit
):
    with on_commit():
        ask(client)
    code = last_code(texts)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert enter(client, wrong(code)).status_code == 200
    assert enter(client, wrong(code)).status_code == 429
    # Locked: even the right code is refused from here, and the password too.
    assert enter(client, code).status_code == 429
    password = client.post(
        "/accounts/login/",
        {"username": PHONE, "password": "correct-horse-battery-9"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert password.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_number_gets_one_code_a_minute_and_a_few_an_hour(
    client, farmer, texts, on_commit, settings
):
    settings.PHONE_CODES_PER_HOUR = 3
    with on_commit():
        ask(client)
        soon = ask(client)
    assert "秒" in soon.content.decode()  # "ask again in … seconds"
    assert len(texts()) == 1 and PhoneCode.objects.count() == 1
    for _ in range(2):
        PhoneCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
        with on_commit():
            ask(client)
    PhoneCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    with on_commit():
        over = ask(client)
    assert "分钟" in over.content.decode()
    assert len(texts()) == 3
    # An hour after the first, the number may ask again.
    PhoneCode.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    with on_commit():
        ask(client)
    assert len(texts()) == 4


def test_one_address_asks_for_a_few_numbers_codes_an_hour(
    client, make_user, texts, on_commit, settings
):
    settings.PHONE_CODES_PER_ADDRESS_HOUR = 2
    with on_commit():
        for n in range(3):
            ask(client, phone=f"1390000000{n}")
        # Another address is not held back.
        ask(client, phone="13900000009", ip="10.0.0.2")
    assert PhoneCode.objects.filter(ip_address="10.0.0.1").count() == 2
    assert PhoneCode.objects.filter(ip_address="10.0.0.2").count() == 1


def test_a_number_without_an_account_is_answered_alike_and_texted_nothing(
    client, make_user, texts, on_commit
):
    unverified = make_user(phone="13700000001")  # a phone never verified
    with on_commit():
        unknown = ask(client, phone="13700000000")
        not_verified = ask(client, phone=unverified.phone)
    known_text = "如果这个号码"
    assert known_text in unknown.content.decode()
    assert known_text in not_verified.content.decode()
    assert texts() == []
    # And no code works for it.
    assert enter(client, "000000", phone="13700000000").status_code == 200


def test_bad_input_gets_a_clear_error(client, farmer):
    page = client.post(PAGE, {"action": "send", "phone": "12345"})
    assert page.status_code == 200
    assert page.context["form"].errors["phone"]
    page = client.post(PAGE, {"action": "sign_in", "phone": PHONE, "code": "12ab"})
    assert page.context["form"].errors["code"]
    page = client.post(PAGE, {"action": "sign_in", "phone": PHONE})
    assert page.context["form"].errors["code"]
    assert PhoneCode.objects.count() == 0


def test_the_api_gives_a_token_for_a_phone_and_its_code(farmer, texts, on_commit):
    api = APIClient(REMOTE_ADDR="10.0.0.5")
    with on_commit():
        asked = api.post("/api/token/code/", {"phone": PHONE}, format="json")
    assert asked.status_code == 202
    code = last_code(texts)
    token = api.post("/api/token/", {"phone": PHONE, "code": code}, format="json")
    assert token.status_code == 200 and token.json()["token"]
    reused = api.post("/api/token/", {"phone": PHONE, "code": code}, format="json")
    assert reused.status_code == 400
    # An expired code gives no token either.
    PhoneCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    with on_commit():
        assert api.post("/api/token/code/", {"phone": PHONE}).status_code == 202
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = api.post(
        "/api/token/", {"phone": PHONE, "code": last_code(texts)}, format="json"
    )
    assert expired.status_code == 400
    assert api.post("/api/token/", {"phone": PHONE}, format="json").status_code == 400
    # Asked again at once: refused, with when to ask again.
    again = api.post("/api/token/code/", {"phone": PHONE}, format="json")
    assert again.status_code == 429 and "秒" in again.json()["detail"]
    bad = api.post("/api/token/code/", {"phone": "abc"}, format="json")
    assert bad.status_code == 400 and "phone" in bad.json()


def test_the_api_locks_the_number_out_after_wrong_codes(farmer, texts, on_commit):
    api = APIClient(REMOTE_ADDR="10.0.0.6")
    with on_commit():
        api.post("/api/token/code/", {"phone": PHONE}, format="json")
    code = last_code(texts)
    statuses = [
        api.post(
            "/api/token/", {"phone": PHONE, "code": wrong(code)}, format="json"
        ).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[:-1] == [400] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    right = api.post("/api/token/", {"phone": PHONE, "code": code}, format="json")
    assert right.status_code == 429


def test_a_user_verifies_their_phone_with_a_code(client, make_user, texts, on_commit):
    buyer = make_user(username="zhao")
    client.force_login(buyer)
    with on_commit():
        sent = client.post("/accounts/phone/", {"action": "send", "phone": PHONE})
    assert sent.status_code == 200
    [text] = texts()
    assert text["purpose"] == "phone_code"
    wrong_code = client.post(
        "/accounts/phone/",
        {"action": "verify", "phone": PHONE, "code": wrong(text["params"]["code"])},
    )
    assert wrong_code.context["form"].errors["code"]
    buyer.refresh_from_db()
    assert not buyer.phone_verified
    done = client.post(
        "/accounts/phone/",
        {"action": "verify", "phone": PHONE, "code": text["params"]["code"]},
    )
    assert done.status_code == 302
    buyer.refresh_from_db()
    assert buyer.phone == PHONE and buyer.phone_verified


def test_a_number_another_account_verified_is_refused(client, farmer, make_user):
    client.force_login(make_user())
    page = client.post("/accounts/phone/", {"action": "send", "phone": PHONE})
    assert page.context["form"].errors["phone"]
    assert PhoneCode.objects.count() == 0
    assert User.objects.filter(phone=PHONE).count() == 1
