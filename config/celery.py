"""The Celery app: configured from Django settings (CELERY_*), tasks found per app."""

import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class PlatformTask(DjangoTask):
    """`delay_on_commit` that never fails the request whose transaction committed:
    if the broker is down, the error is logged and the work waits for the job that
    sweeps it up (such as the notification outbox).

    Nobody waits for the result of a task sent on commit, so it is sent with
    ignore_result: with a result backend the sender would otherwise subscribe to
    the result in Redis, and with Redis down that retries for some 20 seconds per
    task (measured), long enough for gunicorn to kill the request."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        # A named function, not functools.partial: Django logs a robust callback's
        # failure by its __qualname__, which a partial does not have.
        def send_task():
            self.apply_async(args, kwargs, ignore_result=True)

        transaction.on_commit(send_task, robust=True)


app = Celery("config", task_cls=PlatformTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
