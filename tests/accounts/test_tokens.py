"""API tokens die with what they were issued for: changing a password (any way it
is changed) or deactivating the account revokes the user's token; other saves of
the account leave it alone."""

import pytest
from django.contrib.auth.models import update_last_login
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from farmers.services import farmer_password_reset
from tests.factories import FarmerFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"
NEW_PASSWORD = "walnut-terrace-harvest-31"


def token_for(user) -> str:
    response = APIClient().post(
        "/api/token/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    return response.json()["token"]


def works(key: str) -> bool:
    api = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/cart/").status_code == 200


def test_changing_the_password_on_the_page_revokes_the_token(client, make_user):
    user = make_user(role="buyer")
    key = token_for(user)
    assert works(key)
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert not works(key)
    assert not Token.objects.filter(user=user).exists()


def test_the_admin_setting_a_password_revokes_the_token(client, make_user):
    user = make_user(role="buyer")
    key = token_for(user)
    client.force_login(make_user(role="staff", is_superuser=True))
    response = client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert not works(key)


def test_clearing_a_farmers_password_revokes_the_token(make_user):
    farmer = FarmerFactory()
    key = token_for(farmer.user)
    farmer_password_reset(farmer=farmer)
    assert not Token.objects.filter(key=key).exists()


def test_deactivating_the_account_revokes_the_token(make_user):
    user = make_user(role="buyer")
    key = token_for(user)
    user.is_active = False
    user.save()
    assert not Token.objects.filter(key=key).exists()
    # Reactivated, the account needs a new token: the old one stays dead.
    user.is_active = True
    user.save()
    assert not works(key)
    assert token_for(user) != key


def test_other_saves_keep_the_token(make_user, rf):
    user = make_user(role="buyer")
    key = token_for(user)
    user.first_name = "Hong"
    user.save()
    update_last_login(None, user)
    user.save(update_fields=["email"])
    assert works(key)
