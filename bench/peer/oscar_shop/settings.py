"""Settings of the peer shop, as Oscar's "Building your own shop" describes them:
Oscar's defaults, its app list, its middleware and context processors, Haystack's
simple backend. Production-like as the marketplace's bench (DEBUG off). From the
environment, set by bench/peer_oscar.py: PEER_DATABASE_URL (PostgreSQL),
PEER_MEDIA_ROOT, PEER_PRODUCTS_PER_PAGE (the marketplace's page size), PEER_SEARCH
and PEER_WHOOSH_PATH."""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import oscar
from oscar.defaults import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "bench-peer-only-key-not-for-any-deployment")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# Behind the bench's stand-in for a TLS proxy, as the marketplace is.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    *oscar.INSTALLED_APPS,
    "sorl.thumbnail",  # Oscar's default OSCAR_THUMBNAILER
    "oscar_shop",  # the loader command and the trivial page's template
]
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]
AUTHENTICATION_BACKENDS = (
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)

ROOT_URLCONF = "oscar_shop.urls"
WSGI_APPLICATION = "oscar_shop.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
            ],
        },
    },
]


def _database(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError("PEER_DATABASE_URL must point at PostgreSQL")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": parts.port or "",
        # As Oscar's docs recommend: each request in a transaction.
        "ATOMIC_REQUESTS": True,
        # As the marketplace's (config/environment.py): reused, checked connections.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


DATABASES = {"default": _database(os.environ.get("PEER_DATABASE_URL", ""))}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# Haystack's simple backend, as Oscar's docs start a shop (PEER_SEARCH=simple): a
# LIKE over the products' text columns, whose browsing pages Oscar 4.2 renders
# empty (its base query's filters become search words); or Whoosh
# (PEER_SEARCH=whoosh), an index on disk at PEER_WHOOSH_PATH, built after loading.
SEARCH = os.environ.get("PEER_SEARCH", "simple")
if SEARCH == "whoosh":
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
            "PATH": os.environ.get("PEER_WHOOSH_PATH", BASE_DIR / ".venv" / "whoosh"),
        },
    }
else:
    HAYSTACK_CONNECTIONS = {
        "default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"},
    }

# As the marketplace's: Chinese first, and English (Oscar's language switcher
# would otherwise list every language Django has).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files are not served (no collectstatic, no whitenoise): the bench
# measures HTML only. Media: the missing-image picture Oscar links into it and
# sorl-thumbnail's thumbnails of it.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".venv" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("PEER_MEDIA_ROOT", BASE_DIR / ".venv" / "media"))

OSCAR_SHOP_NAME = "Oscar (bench peer)"
OSCAR_DEFAULT_CURRENCY = "CNY"
OSCAR_PRODUCTS_PER_PAGE = int(os.environ.get("PEER_PRODUCTS_PER_PAGE", "24"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
