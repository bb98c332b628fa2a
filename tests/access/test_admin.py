"""The admin is for staff only. Every admin URL, GET and POST, as each of the
world's people: everyone but staff is sent to the admin's sign-in and nothing is
written (its sign-in page itself excepted, and signing out, which anyone may);
staff get each page as its ModelAdmin's permissions say, never a server error.
An admin URL of a kind ADMIN does not know fails, as a new page does in the
matrix."""

import re

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse

from tests.access.probe import ask
from tests.access.routes import routes
from tests.access.world import ROLES

pytestmark = pytest.mark.django_db
TO_ADMIN_SIGN_IN = "admin-sign-in"
# The admin's own pages → what staff get (GET), and what everyone else gets (GET
# and POST) when it is not TO_ADMIN_SIGN_IN.
ADMIN = {
    "index": ("200", TO_ADMIN_SIGN_IN),
    "app_list": ("200", TO_ADMIN_SIGN_IN),
    "password_change": ("200", TO_ADMIN_SIGN_IN),
    "password_change_done": ("200", TO_ADMIN_SIGN_IN),
    "jsi18n": ("200", TO_ADMIN_SIGN_IN),
    "autocomplete": ("403", TO_ADMIN_SIGN_IN),  # asked without a field to complete
    "view_on_site": ("404", TO_ADMIN_SIGN_IN),  # no model has a public page here
    "login": ("302", "200"),  # staff go on to the index; others see the form
    "logout": ("405", "302"),  # POST only; others are sent to the index
}
# Per registered model: changelist, add, change, history, delete; and the user
# admin's password form. Staff get what the ModelAdmin permits (403 otherwise).
MODEL_PAGES = ("changelist", "add", "change", "history", "delete")


def _answer(answer) -> str:
    if answer.status == 302 and answer.location.startswith("/admin/login/"):
        return TO_ADMIN_SIGN_IN
    return answer.outcome


def _model_pages(staff):
    """(URL, what staff get on GET) for every page of every registered model."""
    request = RequestFactory().get("/admin/")
    request.user = staff
    pages = {}
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        obj = model._default_manager.order_by("pk").first()
        args = [obj.pk if obj else 0]

        def allowed(permitted: bool) -> str:
            return "200" if permitted else "403"

        # A missing object: staff are sent back to the index with a message.
        on_object = "302" if obj is None else None
        pages[f"{info}_changelist"] = (reverse(f"{info}_changelist"), "200")
        pages[f"{info}_add"] = (
            reverse(f"{info}_add"),
            allowed(model_admin.has_add_permission(request)),
        )
        view = model_admin.has_view_or_change_permission(request, obj)
        delete = model_admin.has_delete_permission(request, obj)
        for page, permitted in (
            ("change", view),
            ("history", view),
            ("delete", delete),
        ):
            pages[f"{info}_{page}"] = (
                reverse(f"{info}_{page}", args=args),
                on_object or allowed(permitted),
            )
    user_admin = "admin:auth_user_password_change"
    pages[user_admin] = (reverse(user_admin, args=[staff.pk]), "200")
    return pages


def _site_pages(world):
    farmer = world.objects["f1"]
    kwargs = {
        "app_list": {"app_label": "farmers"},
        "view_on_site": {
            "content_type_id": ContentType.objects.get_for_model(farmer).pk,
            "object_id": farmer.pk,
        },
    }
    return {
        f"admin:{kind}": (reverse(f"admin:{kind}", kwargs=kwargs.get(kind)), staff)
        for kind, (staff, _) in ADMIN.items()
    }


def test_every_admin_url_is_known(world):
    known = {**_site_pages(world), **_model_pages(world.users["staff"])}
    served = {route.name for route in routes() if route.name.startswith("admin:")}
    assert sorted(served - set(known)) == [], "a new kind of admin URL: add it to ADMIN"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_only_staff_use_the_admin(world, method):
    pages = {**_site_pages(world), **_model_pages(world.users["staff"])}
    others = {f"admin:{kind}": other for kind, (_, other) in ADMIN.items()}
    wrong = {}
    for name, (url, staff_gets) in pages.items():
        for column in ROLES:
            answer = ask(world.sessions.get(column), method, url)
            got = _answer(answer)
            if column == "staff":
                expected = staff_gets if method == "GET" else got  # POST: no error
                if answer.status >= 500 or got != expected:
                    wrong[f"{name} as staff"] = f"{got}, not {expected}"
            else:
                expected = others.get(name, TO_ADMIN_SIGN_IN)
                if got != expected or answer.written:
                    wrong[f"{name} as {column}"] = answer.token
    assert wrong == {}


def test_the_admin_pages_show_the_worlds_objects_to_staff(world):
    """The change pages above were asked about real rows (one per model that has
    any), so a page that breaks on data (a private file's link) shows up."""
    pages = _model_pages(world.users["staff"])
    with_rows = [
        name
        for name, (url, _) in pages.items()
        if name.endswith("_change") and not re.search(r"/0/change/$", url)
    ]
    assert "admin:farmers_registerimport_change" in with_rows
    assert "admin:catalogue_product_change" in with_rows
