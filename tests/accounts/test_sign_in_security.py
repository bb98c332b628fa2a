"""Sign-in lockout (django-axes) and the rate limits on sign-in, sign-up and
checkout: past the limit the visitor gets a clear message and nothing is written."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from rest_framework.test import APIClient

from accounts.models import User
from orders.models import Checkout

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"
LOGIN = "/accounts/login/"


def sign_in(client, username, password, ip="10.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_wrong_passwords_lock_the_account_from_that_address(client, make_user):
    user = make_user(username="wanghong")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wanghong", "wrong-password").status_code == 200
    locked = sign_in(client, "wanghong", "wrong-password")
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()  # "locked", in the default language
    # Even the right password is refused while the lock holds ...
    right = sign_in(client, "wanghong", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # ... but only for that account from that address: the owner elsewhere gets in.
    elsewhere = sign_in(client, "wanghong", PASSWORD, ip="10.0.0.2")
    assert elsewhere.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_forged_forwarded_for_does_not_dodge_the_lockout(client, make_user):
    make_user(username="gaoyan")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "gaoyan", "password": "wrong-password"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    assert sign_in(client, "gaoyan", PASSWORD, ip="10.0.0.9").status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(rf, settings):
    from accounts.throttles import client_ip

    request = rf.get("/", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client_ip(request) == "172.18.0.5"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert client_ip(request) == "203.0.113.7"


def test_a_good_sign_in_resets_the_count(client, make_user):
    make_user(username="lifang")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "lifang", "wrong-password")
    assert sign_in(client, "lifang", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "lifang", "wrong-password").status_code == 200


def test_the_api_token_door_shares_the_lockout_and_answers_json(make_user):
    make_user(username="zhaolei")
    api = APIClient(REMOTE_ADDR="10.0.0.3")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post("/api/token/", {"username": "zhaolei", "password": "nope"})
    response = api.post("/api/token/", {"username": "zhaolei", "password": PASSWORD})
    assert response.status_code == 429
    assert "detail" in response.json()


def test_api_token_requests_are_rate_limited_per_address(make_user):
    make_user(username="sunli")
    api = APIClient(REMOTE_ADDR="10.0.0.4")
    # Different (unknown) usernames each time: the lockout never applies, the rate
    # limit does.
    # A forged X-Forwarded-For does not make each request a new visitor.
    codes = [
        api.post(
            "/api/token/",
            {"username": f"guess{n}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        ).status_code
        for n in range(11)
    ]
    assert codes[:10] == [400] * 10
    assert codes[10] == 429
    # Another address is not affected.
    other = APIClient(REMOTE_ADDR="10.0.0.5")
    ok = other.post("/api/token/", {"username": "sunli", "password": PASSWORD})
    assert ok.status_code == 200 and ok.json()["token"]


def test_sign_up_is_rate_limited_and_creates_nobody_past_the_limit(client):
    def sign_up(n):
        return client.post(
            "/accounts/sign-up/",
            {
                "username": f"buyer{n}",
                "email": f"buyer{n}@example.com",
                "password1": "tea-garden-walnut-42",
                "password2": "tea-garden-walnut-42",
            },
            REMOTE_ADDR="10.0.0.6",
        )

    for n in range(5):
        assert sign_up(n).status_code == 302
        client.logout()
    refused = sign_up(99)
    assert refused.status_code == 429
    assert "次数过多" in refused.content.decode()  # "too many", in Chinese
    assert not User.objects.filter(username="buyer99").exists()
    assert User.objects.filter(username__startswith="buyer").count() == 5
    # Reading the page is never throttled.
    assert client.get("/accounts/sign-up/", REMOTE_ADDR="10.0.0.6").status_code == 200


def test_checkout_posts_are_rate_limited(make_user):
    buyer = make_user(role="buyer")
    api = APIClient()
    api.force_authenticate(buyer)
    codes = [api.post("/api/checkouts/", {}).status_code for _ in range(31)]
    assert set(codes[:30]) == {400}
    assert codes[30] == 429
    assert not Checkout.objects.exists()


@pytest.mark.parametrize("path", [LOGIN, "/admin/login/"])
def test_an_over_long_username_is_a_form_error_on_every_sign_in_page(client, path):
    response = client.post(path, {"username": "x" * 300, "password": "whatever"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "用户名最多 150 个字符（此处为 300 个）。"
    ]
    assert not AccessAttempt.objects.exists()


def test_an_over_long_username_is_a_400_at_the_api_token_door():
    api = APIClient(REMOTE_ADDR="10.0.0.8", HTTP_ACCEPT_LANGUAGE="en")
    response = api.post("/api/token/", {"username": "x" * 300, "password": "x"})
    assert response.status_code == 400
    assert response.json() == {
        "username": ["A username has at most 150 characters (this one has 300)."]
    }
    assert not AccessAttempt.objects.exists()
