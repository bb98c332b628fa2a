"""The access tests' world is built once for the package, inside a transaction
that is rolled back at the end; each test (pytest-django's `db`) runs in a
savepoint inside it, and each request the matrix makes in one more savepoint, so
every request sees the same untouched world."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.test import Client, override_settings

from config.celery import app
from tests.access.world import build_world


@pytest.fixture(scope="package")
def world_media(tmp_path_factory):
    return tmp_path_factory.mktemp("access-media")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, world_media):
    """The world's photos, register uploads and exports stay readable in every test
    (the suite's own fixture gives each test a new, empty folder)."""
    settings.MEDIA_ROOT = world_media / "media"
    settings.PRIVATE_MEDIA_ROOT = world_media / "private-media"


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, world_media):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = True
        try:
            with override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                MEDIA_ROOT=world_media / "media",
                PRIVATE_MEDIA_ROOT=world_media / "private-media",
            ):
                built = build_world()
                built.sessions = _sessions(built.users)
            yield built
        finally:
            app.conf.task_always_eager = eager
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _sessions(users) -> dict:
    """A signed-in session per column (made once: cheaper than signing in for
    every request, and it keeps sign-in's own writes out of what is measured)."""
    keys = {}
    for column, user in users.items():
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        keys[column] = client.session.session_key
        assert client.session[SESSION_KEY] == str(user.pk)
    return keys
