"""`manage.py run_embedded [addrport]`: the development server of `make run`, with
the periodic jobs of CELERY_BEAT_SCHEDULE running in it when there is no broker
(demo.embedded). Same options as `runserver`."""

from django.core.management import get_commands, load_command_class

from demo import embedded


def _runserver():
    """The `runserver` command of this project's apps (whitenoise's, over
    staticfiles' and Django's own), whichever app provides it."""
    return type(load_command_class(get_commands()["runserver"], "runserver"))


class Command(_runserver()):
    help = (
        "Run the development server and, without a broker (no REDIS_URL), the "
        "periodic jobs of CELERY_BEAT_SCHEDULE in the same process."
    )

    def inner_run(self, *args, **options):
        # Runs in the process that serves: with the autoreloader, the child it
        # restarts on each code change (the parent only watches the files), so
        # there is one scheduler at a time, with the current code.
        if embedded.start() is None:
            self.stdout.write(
                "A broker is configured (REDIS_URL): the periodic jobs are Celery "
                "beat's, none run in this process."
            )
        else:
            self.stdout.write(
                "Periodic jobs (CELERY_BEAT_SCHEDULE) run in this process: no broker."
            )
        super().inner_run(*args, **options)
