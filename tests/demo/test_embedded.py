"""Embedded mode's periodic jobs (issue 15, item 10): without a broker nothing runs
Celery beat, so `make run` serves with `manage.py run_embedded`, runserver plus
Celery beat's own scheduler over CELERY_BEAT_SCHEDULE in a thread of the serving
process, whose due jobs run in-process. The scheduler's clock (Celery's
`app.now`, which beat's schedules read) is moved by hand: no waiting, no timing."""

import threading
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from config.celery import app
from demo import embedded
from demo.management.commands.run_embedded import Command as RunEmbedded
from orders.models import Order, OrderEvent, OrderStatus
from tests.factories import place_order

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 30  # seconds a test waits for the scheduler's thread to end, at most


# Where the scheduler's clock starts: a Tuesday at 13:40 in beat's time zone, so
# that the minutes the tests move it on reach no crontab entry (they fall on
# minutes 0, 15, 20 and 30); the wall clock would make the due jobs depend on when
# the test runs.
START = datetime(2026, 12, 1, 13, 40, tzinfo=ZoneInfo(settings.CELERY_TIMEZONE))


@pytest.fixture
def clock(monkeypatch):
    """Moves the scheduler's clock on by timedelta(**delta), from START."""
    now = [START]
    monkeypatch.setattr(app, "now", lambda: now[0])

    def move(**delta):
        now[0] += timedelta(**delta)

    return move


def run_due(scheduler) -> list[str]:
    """Ticks until nothing is due (a tick runs one due job and returns 0); the
    names of the schedule's entries that ran."""
    ran = len(scheduler.ran)
    while scheduler.tick() == 0:
        pass
    return scheduler.ran[ran:]


def every_minute() -> set[str]:
    return {
        name
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["schedule"] == 60.0
    }


def test_its_schedule_is_the_beat_schedule():
    scheduler = embedded.EmbeddedScheduler()
    assert {name: entry.task for name, entry in scheduler.schedule.items()} == {
        name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
    }


@pytest.mark.django_db
def test_the_scheduler_expires_an_overdue_unpaid_order(clock):
    order = place_order()
    assert order.status == OrderStatus.PENDING_PAYMENT
    Order.objects.filter(pk=order.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    scheduler = embedded.EmbeddedScheduler()
    # As beat: an interval job first runs one interval after the start.
    assert run_due(scheduler) == []
    clock(seconds=59)
    assert run_due(scheduler) == []
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT

    clock(seconds=2)
    assert set(run_due(scheduler)) == every_minute()
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.events.filter(type=OrderEvent.Type.EXPIRED).count() == 1
    # And again a minute later, not before.
    clock(seconds=30)
    assert run_due(scheduler) == []
    clock(seconds=31)
    assert set(run_due(scheduler)) == every_minute()


@pytest.mark.django_db
def test_a_failing_job_is_logged_and_the_others_still_run(clock, monkeypatch, caplog):
    from orders.tasks import expire_unpaid_orders

    def broken():
        raise RuntimeError("the expiry job broke")

    monkeypatch.setattr(expire_unpaid_orders, "run", broken)
    scheduler = embedded.EmbeddedScheduler()
    clock(seconds=61)
    assert set(run_due(scheduler)) == every_minute()
    assert "the expiry job broke" in caplog.text


def test_a_task_this_process_does_not_have_is_an_error_not_a_lost_message(
    clock, caplog
):
    """Beat sends a task it cannot find by name; without a broker that message
    would vanish, so it is refused and logged instead."""
    scheduler = embedded.EmbeddedScheduler()
    scheduler.update_from_dict({"ghost": {"task": "nowhere.ghost", "schedule": 60.0}})
    clock(seconds=61)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app, "send_task", pytest.fail)  # never published
        assert "ghost" in run_due(scheduler)
    assert "no task 'nowhere.ghost' in this process" in caplog.text


class CountingScheduler:
    """Stands for the scheduler in the thread's loop: counts ticks, fails the
    first, and stops the thread at the third."""

    max_interval = 0

    def __init__(self):
        self.ticks = 0
        self.beat = None

    def tick(self):
        self.ticks += 1
        if self.ticks == 1:
            raise RuntimeError("a tick failed")
        if self.ticks == 3:
            self.beat.stop()
        return 0


def test_the_thread_ticks_as_the_scheduler_says_until_stopped(caplog):
    scheduler = CountingScheduler()
    beat = embedded.EmbeddedBeat(scheduler)
    scheduler.beat = beat
    assert beat.daemon  # it never keeps the server from exiting
    beat.start()
    beat.join(DEADLINE)
    assert not beat.is_alive()
    assert scheduler.ticks == 3
    assert "a tick failed" in caplog.text


def test_it_starts_only_in_embedded_mode(settings):
    settings.EMBEDDED = False  # a broker: beat (docker-compose.yml) runs the jobs
    assert embedded.start() is None
    assert "embedded-beat" not in {thread.name for thread in threading.enumerate()}

    settings.EMBEDDED = True
    beat = embedded.start()
    try:
        assert beat.is_alive() and beat.name == "embedded-beat"
        assert isinstance(beat.scheduler, embedded.EmbeddedScheduler)
    finally:
        beat.stop()
        beat.join(DEADLINE)
    assert not beat.is_alive()


def test_run_embedded_starts_the_scheduler_in_the_serving_process(monkeypatch):
    """Django's autoreloader runs `inner_run` only in the process that serves
    (the child it restarts on a code change; the parent only watches files), so
    there is one scheduler, and a reload starts a fresh one with the new code."""
    calls = []
    monkeypatch.setattr(embedded, "start", lambda: calls.append("scheduler"))
    runserver = RunEmbedded.__mro__[1]
    assert runserver.__module__.endswith(".management.commands.runserver")
    monkeypatch.setattr(
        runserver, "inner_run", lambda self, *args, **options: calls.append("serve")
    )
    RunEmbedded().inner_run(use_threading=True)
    assert calls == ["scheduler", "serve"]


def test_make_run_serves_with_the_scheduler():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "manage.py run_embedded $(HOST):$(PORT)" in run
    assert "manage.py runserver" not in run
