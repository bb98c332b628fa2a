#!/usr/bin/env python
"""Django's command-line utility; a configuration error prints one line."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # manage.py is the developer's entry point, so it defaults to development mode
    # (as cookiecutter-django's manage.py defaults to local settings). gunicorn and
    # Celery load settings without it and default to DEBUG off; production sets
    # DEBUG=0 in its environment (.env.example), which wins here too.
    os.environ.setdefault("DEBUG", "1")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - load settings now to report errors
    except ImproperlyConfigured as exc:
        sys.exit(f"Configuration error: {exc}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
