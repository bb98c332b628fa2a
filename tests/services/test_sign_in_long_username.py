"""Sign-in with a username longer than django-axes' varchar(255), on PostgreSQL:
every sign-in path answers with a clear error, never a 500, and records nothing."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import authenticate
from rest_framework.test import APIClient

pytestmark = [pytest.mark.services, pytest.mark.django_db]
LONG = "x" * 300
PASSWORD = "correct-horse-battery-9"


def test_the_api_token_door_answers_400(make_user):
    api = APIClient(REMOTE_ADDR="10.1.0.1")
    response = api.post("/api/token/", {"username": LONG, "password": "whatever"})
    assert response.status_code == 400
    assert "username" in response.json()
    assert not AccessAttempt.objects.exists()
    assert not AccessFailureLog.objects.exists()


def test_the_login_page_shows_a_form_error(client):
    client.raise_request_exception = False
    response = client.post(
        "/accounts/login/",
        {"username": LONG, "password": "whatever"},
        REMOTE_ADDR="10.1.0.2",
    )
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()


def test_the_admin_login_shows_a_form_error(client):
    client.raise_request_exception = False
    response = client.post(
        "/admin/login/",
        {"username": LONG, "password": "whatever"},
        REMOTE_ADDR="10.1.0.3",
    )
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()


def test_any_other_sign_in_is_recorded_clipped_to_the_column(rf):
    request = rf.post("/elsewhere/", REMOTE_ADDR="10.1.0.4")
    assert authenticate(request, username=LONG, password="whatever") is None
    attempt = AccessAttempt.objects.get()
    assert attempt.username == LONG[:255]


def test_a_username_of_the_longest_allowed_length_is_checked_as_usual(make_user):
    longest = "y" * 150
    make_user(username=longest)
    api = APIClient(REMOTE_ADDR="10.1.0.5")
    response = api.post("/api/token/", {"username": longest, "password": PASSWORD})
    assert response.status_code == 200 and response.json()["token"]
