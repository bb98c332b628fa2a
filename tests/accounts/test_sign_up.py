"""Buyer sign-up: a valid form creates a buyer; every bad input creates nobody."""

import pytest
from django.urls import reverse

from accounts.models import Role, User

pytestmark = pytest.mark.django_db
URL = reverse("accounts:sign_up")
VALID = {
    "username": "lihua",
    "email": "lihua@example.com",
    "password1": "tea-garden-walnut-42",
    "password2": "tea-garden-walnut-42",
}


def test_sign_up_creates_a_signed_in_buyer(client):
    response = client.post(URL, VALID)
    assert response.status_code == 302
    user = User.objects.get(username="lihua")
    assert user.role == Role.BUYER
    assert not user.is_staff
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(response["Location"], follow=True).redirect_chain[-1][0] == (
        "/orders/"
    )


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"username": "LiHua"}, "username", "duplicate_username"),
        ({"email": "LIHUA@example.com"}, "email", "duplicate_email"),
        ({"email": "not-an-email"}, "email", "invalid"),
        ({"username": "bad name!"}, "username", "invalid"),
        ({"username": ""}, "username", "required"),
        ({"password1": "1234", "password2": "1234"}, "password2", "password_too_short"),
        (
            {"password1": "password", "password2": "password"},
            "password2",
            "password_too_common",
        ),
        ({"password2": "different-passphrase-1"}, "password2", "password_mismatch"),
    ],
)
def test_bad_sign_up_shows_the_error_and_creates_nobody(
    client, make_user, change, field, code
):
    make_user(username="lihua", email="lihua@example.com")
    before = User.objects.count()
    data = {**VALID, "username": "wangfang", "email": "wf@example.com", **change}
    response = client.post(URL, data)
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data().get(field, [])
    assert code in [error.code for error in errors], response.context["form"].errors
    for error in errors:  # the message itself is shown on the page
        assert str(list(error)[0]) in response.content.decode()
    assert User.objects.count() == before
    assert "_auth_user_id" not in client.session


def test_sign_up_page_renders_the_form_and_escapes_input(client):
    response = client.post(URL, {**VALID, "username": "<script>x</script>"})
    assert response.status_code == 200
    assert b"<script>x</script>" not in response.content
    assert not User.objects.exists()


def test_signed_in_users_are_sent_home(client, make_user):
    client.force_login(make_user(role=Role.FARMER))
    response = client.get(URL)
    assert response.status_code == 302


def test_sign_up_needs_csrf():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, VALID)
    assert response.status_code == 403
    assert not User.objects.exists()


def test_a_sign_up_losing_a_race_gets_a_message_not_an_error(client):
    from unittest import mock

    from django.db import IntegrityError

    with mock.patch.object(
        User.objects, "create_user", side_effect=IntegrityError("duplicate key")
    ):
        response = client.post(URL, VALID)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not User.objects.exists()
