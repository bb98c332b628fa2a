#!/bin/sh
# Container entry point: apply migrations, then run the service's command.
set -e
python manage.py migrate --noinput
exec "$@"
