"""Each role lands on its own home page after signing in, and only there."""

import pytest
from django.urls import reverse

from accounts.models import Role

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"
HOMES = {
    Role.BUYER: "/orders/",
    Role.FARMER: "/farmer/",
    Role.ASSISTANT: "/assistant/",
    Role.OFFICIAL: "/reports/",
    Role.STAFF: "/admin/",
}


def sign_in(client, user, **extra):
    return client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": PASSWORD, **extra},
        follow=True,
    )


@pytest.mark.parametrize("role", list(Role))
def test_sign_in_lands_on_the_role_home(client, make_user, role):
    user = make_user(role=role)
    response = sign_in(client, user)
    assert response.redirect_chain[-1][0] == HOMES[role]
    assert response.status_code == 200
    assert response.context["user"] == user


def test_sign_in_honours_a_safe_next_and_ignores_an_external_one(client, make_user):
    user = make_user(role=Role.FARMER)
    response = sign_in(client, user, next="/accounts/password/")
    assert response.redirect_chain[-1][0] == "/accounts/password/"
    client.logout()
    response = sign_in(client, user, next="https://evil.example/")
    assert response.redirect_chain[-1][0] == HOMES[Role.FARMER]


def test_wrong_password_shows_an_error_and_signs_nobody_in(client, make_user):
    user = make_user()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "wrong"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", [p for p in HOMES.values() if p != "/admin/"])
def test_role_pages_need_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", list(Role))
def test_other_roles_homes_are_forbidden(client, make_user, role):
    client.force_login(make_user(role=role))
    for other, path in HOMES.items():
        if path == "/admin/":
            continue
        allowed = other == role or (role == Role.STAFF and other == Role.OFFICIAL)
        assert client.get(path).status_code == (200 if allowed else 403), (role, path)


def test_only_staff_reach_the_admin(client, make_user):
    client.force_login(make_user(role=Role.OFFICIAL))
    assert client.get("/admin/").status_code == 302
    client.force_login(make_user(role=Role.STAFF))
    assert client.get("/admin/").status_code == 200


def test_sign_out_is_a_post(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase-7",
            "new_password2": "another-long-passphrase-7",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase-7")


@pytest.mark.parametrize(
    ("role", "is_staff"), [(Role.FARMER, True), (Role.STAFF, False), ("king", False)]
)
def test_database_refuses_roles_that_do_not_match_staff_status(role, is_staff):
    from django.db import IntegrityError, transaction

    from accounts.models import User

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", role=role, is_staff=is_staff)


def test_createsuperuser_makes_platform_staff():
    from accounts.models import User

    user = User.objects.create_superuser("root", "root@example.com", "pw-unused-9x")
    assert (user.role, user.is_staff) == (Role.STAFF, True)
