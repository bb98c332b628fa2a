"""The periodic jobs in embedded mode (no broker: `make run`).

With Redis, Celery beat (the compose `beat` service) sends CELERY_BEAT_SCHEDULE's
jobs to the workers. Without it nothing would run them, so `manage.py
run_embedded` (runserver plus this) starts `EmbeddedBeat`: a daemon thread of the
serving process running Celery beat's own scheduler, in memory, over the same
schedule (`app.conf.beat_schedule` is CELERY_BEAT_SCHEDULE: one source of truth).
Tasks are eager without a broker, so a due job runs in that thread. Nothing
else starts it: not the tests, not gunicorn, not Celery."""

import logging
import threading

from celery import beat, current_app
from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)


class EmbeddedScheduler(beat.Scheduler):
    """Celery beat's in-memory scheduler (no schedule file), with the names of
    the entries it ran in `ran`. A job that raises is logged by beat and does
    not stop the others."""

    def __init__(self, **kwargs):
        self.ran: list[str] = []
        # Every installed app's tasks module, as a worker imports them: a task
        # beat finds unregistered is sent by name, which here means lost.
        app = current_app._get_current_object()  # config.celery's (config/__init__)
        app.autodiscover_tasks(force=True)
        super().__init__(app=app, **kwargs)

    def apply_entry(self, entry, producer=None):
        self.ran.append(entry.name)
        super().apply_entry(entry, producer=producer)

    def send_task(self, name, *args, **kwargs):
        """Beat sends a task it does not know by name; there is no one to
        receive it here (apply_entry logs this)."""
        raise LookupError(f"no task {name!r} in this process")


class EmbeddedBeat(threading.Thread):
    """Beat's loop (celery.beat.Service.start) in a thread: tick, then sleep as
    long as the scheduler says, until stopped. A daemon: it never keeps the
    server from exiting (a job cut short rolls back, and runs again)."""

    def __init__(self, scheduler=None):
        super().__init__(name="embedded-beat", daemon=True)
        self.scheduler = scheduler if scheduler is not None else EmbeddedScheduler()
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            try:
                interval = self.scheduler.tick()
            except Exception:
                logger.exception("embedded beat: a tick failed")
                interval = self.scheduler.max_interval
            finally:
                # This thread's own connections: a job's is not kept between runs.
                connections.close_all()
            self.stopped.wait(interval)

    def stop(self):
        self.stopped.set()


def start() -> EmbeddedBeat | None:
    """Start the periodic jobs in this process, in embedded mode only (with a
    broker, beat runs them: starting them here too would run each twice)."""
    if not settings.EMBEDDED:
        return None
    embedded_beat = EmbeddedBeat()
    embedded_beat.start()
    return embedded_beat
