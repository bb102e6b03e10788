"""Settings for DTC, read from the environment.

With no variables set the service runs embedded: a SQLite file, Celery tasks run
in-process, a local-memory cache. Deployment switches by variables, never by a
second copy of this file:

    DTC_PRODUCTION=1        secure cookies, HSTS, SECRET_KEY required
    DTC_DEBUG=1             Django's debug pages (never in production; off by default)
    DJANGO_SECRET_KEY       the secret key (required in production)
    DJANGO_ALLOWED_HOSTS    comma-separated host names
    DATABASE_URL            postgres://user:pass@host:5432/name
    REDIS_URL               redis://host:6379/0 (Celery broker and cache)
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_flag("DTC_PRODUCTION")
# Debug pages show settings and code: an explicit opt-in, never in production.
DEBUG = env_flag("DTC_DEBUG") and not PRODUCTION

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DTC_PRODUCTION is on.")
    SECRET_KEY = "embedded-development-key-not-for-deployment"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "guardian",
    "simple_history",
    "axes",
    "csp",
    "django_htmx",
    "dtc",
    "referrals",
    "residents",
    "supervision",
    "community",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads the query string: control characters never reach a view.
    "dtc.middleware.QueryStringCleaningMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs sign-in unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: a second submission of a saved form is told so (dtc.form_tokens).
    "dtc.middleware.FormTokenMiddleware",
    "dtc.middleware.PrivateSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a locked-out user is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dtc.urls"
WSGI_APPLICATION = "dtc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "dtc.context_processors.layout",
            ],
        },
    },
]
# Widget templates in templates/django/forms/ give Django's forms the GOV.UK markup.
FORM_RENDERER = "dtc.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Two planner settings for the connection, each measured at full scale (bench/):
    # - jit=off: PostgreSQL's JIT compiles a query whose estimated cost passes
    #   jit_above_cost; the pages' queries are short and their subqueries' estimates pass
    #   it often, so compiling cost a second where the query took a tenth of it.
    # - random_page_cost=2, nearer solid-state storage than the default 4 (for spinning
    #   disks): with it the planner reads a page of a list through its index instead of
    #   scanning every referral to join them to a few hundred overrides; at 1.1 it walked
    #   the whole referrals index to count a cluster's list, twice as slow as a scan.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c random_page_cost=2"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # django-redis rather than Django's own RedisCache, for IGNORE_EXCEPTIONS: with Redis
    # down a page is computed afresh instead of failing, and the error is logged. The short
    # timeouts keep a Redis that does not answer from stalling every request. The cache holds
    # only what can be computed again: sessions and sign-in lockouts are in the database.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "dtc.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "dtc.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# A session ends after 30 minutes without a request, and 12 hours after sign-in
# however active it has been (dtc.middleware). A request extends it when it was last
# extended a minute or more before (not every request: that would be a write of the
# session row, three queries, on every page).
SESSION_COOKIE_AGE = 30 * 60
SESSION_ABSOLUTE_AGE = 12 * 60 * 60
SESSION_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Five failed sign-ins lock the account name for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Lockout is by account name only: prison staff sign in from shared networks that
# reach the service from one address, so locking an address would lock out a whole
# establishment after one person's typing errors.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Object permissions: anonymous users hold none.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/assets/"
# Production serves the collected, hashed files; elsewhere whitenoise finds them in place.
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None
WHITENOISE_USE_FINDERS = not PRODUCTION
NODE_MODULES = BASE_DIR / "node_modules"
# The design systems' compiled CSS refers to /assets/fonts and /assets/images, so
# their asset folders sit at the root of the static URL.
STATICFILES_DIRS = [
    NODE_MODULES / "govuk-frontend" / "dist" / "govuk" / "assets",
    NODE_MODULES / "@ministryofjustice" / "frontend" / "moj" / "assets",
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("moj", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("DTC_MEDIA_ROOT", BASE_DIR / "media"))

# Security headers. The CSP allows only the service's own scripts and styles;
# the one inline script (GOV.UK's js-enabled switch) carries a nonce.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Health checks come over plain HTTP from inside the deployment.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Celery: Redis when REDIS_URL is set; otherwise tasks run eagerly in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged when it has run, not when a worker takes it, and a worker that
# dies mid-task (killed, out of memory) hands it back to the queue: every task is written
# to run twice safely (it re-reads its state and exits if the work is done).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Tasks are long (PDFs): a worker takes one at a time, so no task waits behind another
# in a busy worker's prefetch.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis hands an unacknowledged task to another worker after this many seconds (its
    # worker lost with it): longer than the hard time limit, so a task still running is
    # never given out twice.
    "visibility_timeout": int(os.environ.get("DTC_TASK_VISIBILITY_TIMEOUT", "600")),
    # Workers look for such tasks every 10 seconds (kombu's default is every 100).
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    # A Redis that hangs (rather than refusing) is given up on, not waited on for ever.
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
}
# A broker that is down is reported within a second, not after a long retry: the job
# waits in the outbox (dtc.jobs) and is sent again when the broker returns.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_WORKER_MAX_TASKS_PER_CHILD = 100
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "send-waiting-jobs": {
        "task": "dtc.tasks.send_waiting_jobs",
        "schedule": timedelta(minutes=1),
    },
    "registration-renewal-reminders": {
        "task": "dtc.tasks.remind_registration_renewals",
        "schedule": timedelta(days=1),
    },
    "supervision-overdue-reminders": {
        "task": "supervision.tasks.remind_overdue_supervision",
        "schedule": timedelta(weeks=1),
    },
    "purge-form-tokens": {
        "task": "dtc.tasks.purge_form_tokens",
        "schedule": timedelta(days=1),
    },
    "residents-due-reminders": {
        "task": "residents.tasks.remind_due_reviews_and_documents",
        "schedule": timedelta(days=1),
    },
    "staff-meeting-action-reminders": {
        "task": "community.tasks.remind_overdue_staff_meeting_actions",
        "schedule": timedelta(days=1),
    },
}

# Staff are told this many days before their professional registration lapses.
REGISTRATION_RENEWAL_NOTICE_DAYS = 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # PDF rendering reports every step at INFO (WeasyPrint, and fontTools for fonts).
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
