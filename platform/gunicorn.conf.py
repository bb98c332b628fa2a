"""gunicorn settings for the web service: (2 x cores + 1) sync workers on $PORT.

Workers are recycled after max_requests (memory held by a long-lived process),
each at its own count (the jitter is half the count, so restarts spread out
rather than coming together), and the application is loaded once in the master
(preload_app) and warmed there (when_ready: translations, URLs, the public
pages' templates), so a new worker is a fork, ready at once, not a second or two
of imports and first-request work on a busy machine (bench/README.md measures
the slowest answer while workers are replaced)."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
# 2 x cores + 1, capped so a big host does not exhaust PostgreSQL connections.
workers = int(
    os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 9))
)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
preload_app = True
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 2
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# What a worker would otherwise build on its first request, built once in the
# master before it forks: the translation catalogues, the URL resolver and the
# public pages' compiled templates.
WARM_TEMPLATES = (
    "base.html",
    "catalogue/home.html",
    "catalogue/catalogue.html",
    "catalogue/product.html",
    "reports/report.html",
)


def when_ready(server):
    if not server.cfg.preload_app:
        return
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import reverse
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Cart")
            reverse("home")
            for name in WARM_TEMPLATES:
                get_template(name)
