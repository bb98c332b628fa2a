"""/healthz: the state of the database and the broker, for compose and balancers."""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

OK, EAGER, DOWN = "ok", "eager", "down"


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        return DOWN
    return OK


def broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return EAGER
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        client.ping()
    except redis.RedisError:
        return DOWN
    finally:
        client.close()
    return OK


@never_cache
@require_GET
def healthz(request):
    state = {"database": database_state(), "broker": broker_state()}
    return JsonResponse(state, status=200 if state["database"] == OK else 503)
