"""Every <input type="date"> and <input type="month"> renders its value in ISO
(2026-12-02, 2026-12) whatever the page's language: the browser accepts nothing
else, and a zh-hans value in the locale's format (2026/12/02) left the new
training and visit forms' 日期 empty. Every form class of the project is read, so a
new date field is checked too."""

import importlib
import pkgutil
import re
from datetime import date
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import AssistantFactory, farmer_of

DAY = date(2026, 12, 2)
ISO = {"date": "2026-12-02", "month": "2026-12"}


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in the project's apps (all their modules imported)."""
    # The project's own apps sit right in BASE_DIR (a virtualenv inside it, as
    # `make` makes one, holds the installed apps deeper down).
    roots = [
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == Path(settings.BASE_DIR).resolve()
    ]
    for root in roots:
        package = importlib.import_module(root)
        for module in pkgutil.walk_packages(package.__path__, f"{root}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        for form in todo.pop().__subclasses__():
            todo.append(form)
            if form.__module__.split(".")[0] in roots:
                found.append(form)
    return found


def date_fields() -> list[tuple[str, forms.Field]]:
    return [
        (f"{form.__module__}.{form.__qualname__}.{name}", field)
        for form in project_forms()
        for name, field in form.base_fields.items()
        if getattr(field.widget, "input_type", None) in ISO
    ]


def test_the_project_has_its_date_and_month_inputs():
    names = {name.rsplit(".", 1)[1] for name, _ in date_fields()}
    assert {"held_on", "visited_on", "since", "until", "exited_on", "start"} <= names


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_and_month_input_renders_iso_in_every_language(language):
    with translation.override(language):
        for name, field in date_fields():
            html = field.widget.render("day", DAY)
            value = re.search(r'value="([^"]*)"', html)
            assert value and value[1] == ISO[field.widget.input_type], (name, html)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_new_training_and_visit_pages_show_today_in_iso(client, language):
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    client.force_login(assistant.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    today = timezone.localdate().isoformat()
    for url, field in [
        (reverse("fieldwork:training_new"), "held_on"),
        (reverse("fieldwork:visit_new", args=[farmer.pk]), "visited_on"),
    ]:
        html = client.get(url).content.decode()
        tag = re.search(rf'<input type="date" name="{field}"[^>]*>', html)
        assert tag and f'value="{today}"' in tag[0], (url, tag)
