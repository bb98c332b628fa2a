"""One environment-driven configuration for every deployment.

Embedded defaults (no variables): SQLite, tasks run in-process, local-memory cache.
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.environment import database_config, next_redis_db, redis_url
from config.scale import replica_database
from config.schedule import BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-deploy"  # noqa: S105
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "accounts.apps.AxesConfig",  # django-axes, named in our languages
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "counties",
    "farmers",
    "assistants",
    "catalogue",
    "shipping",
    "orders",
    "aftersales",
    "reviews",
    "fieldwork",
    "settlement",
    "procurement",
    "notifications",
    "sms",
    "reports",
    "audit",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a locked-out sign-in into the lockout page (accounts/locked_out).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.role",
                "orders.context_processors.shipping_limit",
                "notifications.context_processors.unread_notifications",
                "procurement.context_processors.unit_membership",
            ],
            "builtins": ["common.templatetags"],
        },
    },
]

# --- Database -------------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": database_config(DATABASE_URL)}
# A read replica for the report pages (config/routers.py, config/scale.py).
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = replica_database(DATABASE_REPLICA_URL)
DATABASE_ROUTERS = ["config.routers.ReportReplicaRouter"]
# The monthly summary tables' indexes cover their figures (INCLUDE, reports/models.py)
# for PostgreSQL. SQLite builds them without the extra columns and says so on every
# migrate (models.W040): true, harmless, so silenced on SQLite only.
SILENCED_SYSTEM_CHECKS = (
    ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and results, and the cache ----------------------------
REDIS_URL = redis_url(env.str("REDIS_URL", default=""))
# The cache (sessions are in the database) lives in its own Redis database.
REDIS_CACHE_URL = redis_url(
    env.str("REDIS_CACHE_URL", default=next_redis_db(REDIS_URL))
)

if REDIS_URL:
    CACHES = {
        "default": {
            # A Redis outage is a cache miss, not a 500 (config/cache.py).
            "BACKEND": "config.cache.OutageTolerantRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long the catalogue's results and filter choices are cached, at most: a
# listing edit shows at once (catalogue.selectors), stock badges within this.
CATALOGUE_CACHE_SECONDS = env.int("CATALOGUE_CACHE_SECONDS", default=60)

# Embedded mode: no broker (`make run`). Tasks run in-process at .delay() time (as
# Saleor does), an order change rebuilds its sales day on commit (reports.receivers),
# and `manage.py run_embedded` runs CELERY_BEAT_SCHEDULE (demo.embedded).
EMBEDDED = not REDIS_URL
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = EMBEDDED
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# Redis re-delivers a task not acknowledged within visibility_timeout (its worker
# died holding it). It must exceed the hard limit, or a long task still running
# would be handed to a second worker.
TASK_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": TASK_VISIBILITY_TIMEOUT}
# Acknowledge on receipt, except tasks that say acks_late=True: only idempotent
# ones do, so a redelivery after a lost worker is harmless (docs/OPERATIONS.md).
CELERY_TASK_ACKS_LATE = False
# A worker process killed mid-task (SIGKILL, out of memory) does not put the task
# back: one that kills its worker would loop forever. Lost work is found again by
# the sweeps (outbox, dirty days, export housekeeping).
CELERY_TASK_REJECT_ON_WORKER_LOST = False
# A broker blip does not kill the tasks running: they finish, and if their
# acknowledgement was lost Redis hands them out again, which idempotence makes
# harmless.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_RESULT_EXPIRES = 24 * 3600
# One task reserved per worker process at a time: a long rollup or export never
# holds short tasks hostage, and a lost worker takes at most one unstarted task.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Shanghai"
# Every periodic job of the platform, in one place (config/schedule.py).
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
if CELERY_TASK_SOFT_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "CELERY_TASK_SOFT_TIME_LIMIT must be below CELERY_TASK_TIME_LIMIT"
    )
if CELERY_TASK_TIME_LIMIT >= TASK_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured(
        "CELERY_TASK_TIME_LIMIT must be below CELERY_VISIBILITY_TIMEOUT"
    )

# --- Accounts ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out sign-in before any password (or phone
# code: accounts.backends) is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.PhoneCodeBackend",
]
# Sign-in lockout: AXES_FAILURE_LIMIT wrong passwords or codes for one account from
# one address lock that pair for AXES_COOLOFF_MINUTES (pages, admin and /api/token/;
# accounts.views.locked_out answers). Attempts live in the database.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# Over-long usernames: refused by the forms, clipped for axes (accounts/sign_in.py).
AXES_USERNAME_CALLABLE = "accounts.sign_in.axes_username"
AXES_HTTP_RESPONSE_CODE = 429
# The client address is REMOTE_ADDR, unless the app sits behind this many trusted
# proxies that set X-Forwarded-For (platform/nginx: one, replacing what a client
# sent), so a client cannot spoof its way round a lockout or a rate limit.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.throttles.client_ip"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# --- Language and time ------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------
STATIC_URL = "static/"
# collectstatic's target in production; in DEBUG, files are served from static/.
STATIC_ROOT = (
    None if DEBUG else env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# The largest request body accepted: one 5 MB photo or register plus the form.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=8 * 1024 * 1024)
# Uploads that hold household data (registers): never served, see common/storage.py.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- API --------------------------------------------------------------------------
REST_FRAMEWORK = {
    # drf-spectacular's, plus the error answers DRF gives (common/api_schema.py).
    "DEFAULT_SCHEMA_CLASS": "common.api_schema.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # DRF's parsers; JSON's refuses a body nested too deeply as a 400 (not a 500).
    "DEFAULT_PARSER_CLASSES": [
        "common.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PAGINATION_CLASS": "common.api.NewestFirst",
    "PAGE_SIZE": 50,
    # Scoped throttles on the doors an attacker knocks on: sign-in for a token,
    # sign-up and checkout (accounts.throttles; the sign-up page shares the rate).
    # 0: REMOTE_ADDR, whatever X-Forwarded-For a client sends (DRF's default, None,
    # would trust a client's header). Behind proxies: the address they saw.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "sign_in": env.str("THROTTLE_SIGN_IN", default="10/min"),
        "sign_up": env.str("THROTTLE_SIGN_UP", default="5/hour"),
        "checkout": env.str("THROTTLE_CHECKOUT", default="30/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Poverty-alleviation marketplace API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files come from the drf-spectacular-sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status": name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "ProductStatusEnum": "catalogue.models.ProductStatus",
        "OrderStatusEnum": "orders.models.OrderStatus",
        "PaymentProviderEnum": "orders.models.PaymentProviderCode",
    },
}

# --- Security: secure by default whenever DEBUG is off ---------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Container healthchecks call /healthz over plain HTTP from inside the stack.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts only from our own static files, never
# inline; no plugins, no framing, forms post only to us. Inline style attributes are
# allowed for the report bars' widths (styles cannot run code). Images may also be
# blob: URLs, for the listing form's preview of a photo chosen but not yet uploaded
# (static/js/photo-preview.js); blob: is allowed nowhere else.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every sign-in at INFO; lockouts (WARNING) are what matter.
    "loggers": {"axes": {"level": "WARNING"}},
}

# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.com:587; default: the console.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")

# --- Orders and payments -------------------------------------------------------------
# An unpaid order is cancelled, and its stock released, after this many minutes.
ORDER_PAYMENT_MINUTES = env.int("ORDER_PAYMENT_MINUTES", default=30)
# A shipped order the buyer has not confirmed is completed after this many days;
# the buyer is told this many days before.
ORDER_AUTO_COMPLETE_DAYS = env.int("ORDER_AUTO_COMPLETE_DAYS", default=10)
ORDER_AUTO_COMPLETE_NOTICE_DAYS = env.int("ORDER_AUTO_COMPLETE_NOTICE_DAYS", default=1)
# Payment methods buyers may choose (orders/providers/). The simulated gateway
# moves no money: it is on by default only in development. A real provider is
# offered only when all its settings are there (the system checks name the rest).
PAYMENT_PROVIDERS = env.list(
    "PAYMENT_PROVIDERS",
    default=["simulated", "on_delivery"] if DEBUG else ["on_delivery"],
)
# The HMAC key the simulated gateway signs its callbacks with; its own secret
# outside development.
PAYMENT_GATEWAY_SECRET = env.str("PAYMENT_GATEWAY_SECRET", default="")
if not PAYMENT_GATEWAY_SECRET:
    if "simulated" in PAYMENT_PROVIDERS and not DEBUG:
        raise ImproperlyConfigured(
            "PAYMENT_GATEWAY_SECRET is required when the simulated gateway is on"
        )
    PAYMENT_GATEWAY_SECRET = SECRET_KEY
# WeChat Pay's and Alipay's settings, each offered only when complete.
from config.payment_providers import *  # noqa: E402, F403

# --- Settlement (docs/PAYMENTS.md) ---------------------------------------------------
# The platform's fee on each completed order, as a fraction of its total (0: none,
# as on the 832 platform, which charges sellers nothing).
PLATFORM_FEE_RATE = Decimal(env.str("PLATFORM_FEE_RATE", default="0"))
if not 0 <= PLATFORM_FEE_RATE < 1:
    raise ImproperlyConfigured("PLATFORM_FEE_RATE is a fraction from 0 to below 1")
# An earning is held this many days after its order completes (for after-sales).
EARNING_HOLD_DAYS = env.int("EARNING_HOLD_DAYS", default=7)
AFTERSALE_DAYS = env.int("AFTERSALE_DAYS", default=7)  # to ask, after receipt
AFTERSALE_ANSWER_HOURS = env.int("AFTERSALE_ANSWER_HOURS", default=48)  # to answer
# The weekly payout run pays a farmer whose available balance is at least this.
PAYOUT_MINIMUM = Decimal(env.str("PAYOUT_MINIMUM", default="1.00"))

# --- Work units, text messages, scale-out: their own modules -----------------------
from config.scale import *  # noqa: E402, F403
from config.sms import *  # noqa: E402, F403
from config.work_units import *  # noqa: E402, F403

# Links in e-mails and text messages start with this.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
