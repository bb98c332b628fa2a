"""The Celery settings that make faults harmless (docs/OPERATIONS.md): acks_late
only where the task is idempotent, as the documented table says; time limits
below Redis's visibility timeout, refused otherwise; one task prefetched."""

import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from config.celery import app
from tests.config.test_settings import run_django, settings_value

OPERATIONS = Path(__file__).resolve().parents[2] / "docs" / "OPERATIONS.md"


def project_apps() -> tuple[str, ...]:
    """The names of the project's own apps (those right in BASE_DIR)."""
    root = Path(settings.BASE_DIR).resolve()
    return tuple(
        f"{config.name}."
        for config in django_apps.get_app_configs()
        if Path(config.path).resolve().parent == root
    )


def documented_tasks() -> dict[str, bool]:
    """Task name → acks_late, from the tasks table of docs/OPERATIONS.md."""
    rows = re.findall(
        r"^\| `([a-z_.]+)` \| [^|]+ \| (yes|no) \|", OPERATIONS.read_text(), re.M
    )
    return {name: answer == "yes" for name, answer in rows}


def test_every_task_acks_late_exactly_as_documented():
    app.loader.import_default_modules()
    tasks = {
        name: task.acks_late
        for name, task in app.tasks.items()
        if name.startswith(project_apps())
    }
    assert tasks == documented_tasks()


def test_tasks_are_acknowledged_on_receipt_unless_they_say_so():
    assert settings.CELERY_TASK_ACKS_LATE is False
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is False
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_the_visibility_timeout_is_explicit_and_above_the_hard_limit():
    out = settings_value(
        {"DEBUG": "1", "CELERY_VISIBILITY_TIMEOUT": "1200"},
        "settings.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'],"
        " settings.CELERY_TASK_TIME_LIMIT < 1200",
    )
    assert out == "1200 True"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"CELERY_TASK_TIME_LIMIT": "3600"},
            "CELERY_TASK_TIME_LIMIT must be below CELERY_VISIBILITY_TIMEOUT",
        ),
        (
            {"CELERY_VISIBILITY_TIMEOUT": "300"},
            "CELERY_TASK_TIME_LIMIT must be below CELERY_VISIBILITY_TIMEOUT",
        ),
        (
            {"CELERY_TASK_SOFT_TIME_LIMIT": "360"},
            "CELERY_TASK_SOFT_TIME_LIMIT must be below CELERY_TASK_TIME_LIMIT",
        ),
    ],
)
def test_limits_in_the_wrong_order_fail_at_start_up(env, message):
    result = run_django({"DEBUG": "1", **env}, "check")
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
