"""Settings for the partnership programmes project.

Configuration comes only from the environment:

- ``DJANGO_SECRET_KEY``: required when ``DJANGO_DEBUG`` is off;
- ``DJANGO_DEBUG``: ``1``/``true``/``yes``/``on`` turns debugging on (off by default);
- ``DJANGO_ALLOWED_HOSTS``: comma-separated host names;
- ``DATABASE_URL``: for example ``postgres://user@host:5432/pfp``; defaults to a SQLite
  file in the repository's ignored ``data/`` folder (a SQLite database gets the same options
  whatever its name);
- ``DJANGO_MFA_REQUIRED_ROLES``: the roles that must sign in with a second factor (``pfp.mfa``),
  comma-separated among ``viewer``, ``programme_officer``, ``approver``, ``menu_manager`` and
  ``administrator``; unset: ``approver,administrator``; set but empty: none (a local trial);
- optional, for e-mail: ``DJANGO_EMAIL_HOST``, ``DJANGO_EMAIL_PORT``,
  ``DJANGO_DEFAULT_FROM_EMAIL`` and ``DJANGO_SITE_URL`` (the address links in e-mails use).

With ``DJANGO_DEBUG`` off the defaults are the secure ones (HTTPS only, HSTS, secure cookies).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(for local development, set DJANGO_DEBUG=1)."
        )
    # Only ever used with debugging on, on a developer's machine.
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or (
    ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    "pfp",
    "partners",
    "programmes",
    "pfp.apps.PfpAdminConfig",  # Django's admin, with the product's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "pfp.apps.SignInProtectionConfig",  # django-axes, named in plain words
    # The API (/api/v1/, programmes.api), its personal tokens (pfp.tokens) and its OpenAPI
    # schema and documentation pages, served from the sidecar's static files (no CDN).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pfp.tokens",
    # The task queue, in the database (manage.py db_worker runs it); named in French too.
    "pfp.outbox.taskqueue.TaskQueueConfig",
    "pfp.outbox",  # every e-mail as a row, sent by the worker; the schedule
    "pfp.downloads",  # downloads built by the worker, and PDFs built once (docs/background.md)
    # The second factor (pfp.mfa): django-otp's TOTP apps and single-use recovery codes. After
    # the admin, so that pfp.mfa's admin module can unregister django-otp's device admins.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",  # security keys and passkeys
    "pfp.mfa",
]
# Demo data, seed_demo, bench and loadtest (``programmes.devtools``): development tools, installed
# with DJANGO_DEBUG on, or by DJANGO_DEVTOOLS=1 (the benchmarks' child processes run with DEBUG
# off); never in production unless asked.
DEVTOOLS = env_flag("DJANGO_DEVTOOLS", default=DEBUG)
if DEVTOOLS:
    INSTALLED_APPS.append("programmes.devtools")

MIDDLEWARE = [
    # First, so that their headers go on every answer: on static files (WhiteNoise answers them
    # without going further in), and on the 400 for a Host header not in ALLOWED_HOSTS, even when
    # Django's SecurityMiddleware raises it (its HTTPS redirect asks for the host) before it could
    # add its own headers.
    "pfp.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private, no-store on every answer to a signed-in user.
    "pfp.middleware.PrivateCacheMiddleware",
    # After LocaleMiddleware (cookie, browser) and authentication: a user's saved language wins.
    "pfp.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pfp.middleware.SessionLifetimeMiddleware",
    # Django's LoginRequiredMiddleware, and the same redirect from URLs that match no view.
    "pfp.middleware.LoginRequiredEverywhereMiddleware",
    # request.user.otp_device (the device this session was verified with); then the second
    # factor where a role requires it (pfp.mfa.middleware).
    "django_otp.middleware.OTPMiddleware",
    "pfp.mfa.middleware.SecondFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pfp.urls"
WSGI_APPLICATION = "pfp.wsgi.application"
ASGI_APPLICATION = "pfp.asgi.application"

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
                "programmes.navigation.navigation",
            ],
        },
    },
]

# Database: SQLite in data/ by default; PostgreSQL in production through DATABASE_URL.
DATA_DIR = BASE_DIR / "data"
# Test runs that share a machine (parallel sessions) keep apart with PFP_TEST_DB_SUFFIX.
TEST_DB_SUFFIX = os.environ.get("PFP_TEST_DB_SUFFIX", "")
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config(conn_max_age=60, conn_health_checks=True)}
else:
    DATA_DIR.mkdir(exist_ok=True)
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "pfp.sqlite3"}
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # However the file is named (here or by DATABASE_URL): a transaction takes the write lock
    # when it begins and writers queue for it, instead of failing at once with "database is
    # locked" when a read turns into a write while another holds the lock. Options in the URL's
    # query string win.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # A file, not memory, for tests too, beside the database: concurrency tests run threads with
    # their own connections, which must queue on SQLite's lock like separate servers would.
    database_file = Path(DATABASES["default"]["NAME"])
    if database_file.name not in {"", ":memory:"}:
        DATABASES["default"]["TEST"] = {
            "NAME": database_file.with_name(f"test_{database_file.stem}{TEST_DB_SUFFIX}.sqlite3")
        }
elif TEST_DB_SUFFIX:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{TEST_DB_SUFFIX}"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "pfp.User"

AUTHENTICATION_BACKENDS = [
    # django-axes first, so that a locked-out username/IP pair never reaches the database check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
# After signing out, here or in the admin: the login page (with a message after the site's own Log
# out, pfp.views.SignOutView).
LOGOUT_REDIRECT_URL = "login"

# Sessions live in the database, so any app server behind the load balancer can serve any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
# The cookie's age is the idle timeout, renewed on every request; pfp.middleware enforces the
# absolute limit from the moment of login.
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT.total_seconds())
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script of ours reads the CSRF cookie: forms carry the token.
CSRF_COOKIE_HTTPONLY = True
# The language choice is a cookie too: no script reads it, and it follows the others' rules.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Login throttling: five failures for one username from one IP locks that pair for 15 minutes,
# so an attacker elsewhere cannot lock the real user out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "pfp.axes.username_tried"
# Every failure kept (AccessFailureLog: name tried, address, page, time, whether it locked),
# where the attempt counters are reset by a success and by the cool-off; at most the latest
# 1,000 per name tried.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# The second factor (pfp.mfa): the roles that must have one, as named in DJANGO_MFA_REQUIRED_ROLES
# (checked by pfp.mfa.checks); unset: approvers and administrators; empty: nobody.
MFA_REQUIRED_ROLES = (
    env_list("DJANGO_MFA_REQUIRED_ROLES")
    if "DJANGO_MFA_REQUIRED_ROLES" in os.environ
    else ["approver", "administrator"]
)
# The issuer an authenticator app shows beside the account's name.
OTP_TOTP_ISSUER = "Partnership programmes"
# Security keys (django-otp-webauthn): bound to this site's host name, a second factor only.
OTP_WEBAUTHN_RP_ID_CALLABLE = "pfp.mfa.webauthn.relying_party_id"
OTP_WEBAUTHN_RP_NAME = "Partnership programmes"
# The origins a browser may report: this site's hosts over HTTPS (in development, the server at
# http://localhost:8000: a key needs a host name, not an address).
OTP_WEBAUTHN_ALLOWED_ORIGINS = [
    f"https://{host}" for host in ALLOWED_HOSTS if host[0] not in "*.["
] + (["http://localhost:8000"] if DEBUG else [])
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Security headers, on in every mode.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

if not DEBUG:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host[0] not in "*."]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates day-month-year on a 24-hour clock (pfp/formats/en); French keeps Django's.
FORMAT_MODULE_PATH = ["pfp.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
# Uploaded files (the documents attached to programme versions), read by every app server from
# one place: a directory (PFP_MEDIA_ROOT, by default media/ beside the code: ``make run``), or an
# S3-compatible bucket through django-storages when DJANGO_STORAGE_S3_BUCKET is set (with
# DJANGO_STORAGE_S3_ENDPOINT_URL and DJANGO_STORAGE_S3_REGION when not AWS; the credentials from
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the instance's role). Files are never served
# from these URLs: programmes.documents' view serves each one to those who may read it.
MEDIA_ROOT = Path(os.environ.get("PFP_MEDIA_ROOT") or BASE_DIR / "media")
if os.environ.get("DJANGO_STORAGE_S3_BUCKET"):
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["DJANGO_STORAGE_S3_BUCKET"],
            "endpoint_url": os.environ.get("DJANGO_STORAGE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DJANGO_STORAGE_S3_REGION") or None,
            "location": os.environ.get("DJANGO_STORAGE_S3_PREFIX", "documents"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif os.environ.get("PFP_STORAGE") == "memory":  # the tests (pfp/pytest_plugin.py)
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
else:
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and DEBUG serve static files straight from the finders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

PAGINATE_BY = 25

# The cache (the API's request counts per token) in the database, so that every app server
# counts the same requests and keeps no state of its own; its table is made by
# ``manage.py createcachetable`` (make migrate; the test runner makes it for the test database).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "pfp_cache",
    }
}

# The API (programmes.api): personal tokens (pfp.tokens) for other systems, the session for the
# browsable API; every view then asks the same permission rules and visibility functions as the
# pages. Throttled per token (per user on a session).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pfp.tokens.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["pfp.tokens.authentication.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("PFP_API_RATE", "600/minute")},
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "programmes.api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "programmes.api.schema.Schema",
    "EXCEPTION_HANDLER": "programmes.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Partnership programmes API",
    "DESCRIPTION": (
        "Read the partner register, the cooperation menu, the programmes with their contents, "
        "their delivery and annual reviews; record delivery events by their external reference. "
        "Every request needs a personal API token (`Authorization: Bearer <token>`, created on "
        "the account page) and sees what its owner sees on the pages."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PartnerStatusEnum": "partners.models.PartnerStatus",
        "ProgrammeStatusEnum": "programmes.models.ProgrammeStatus",
        "EventStatusEnum": "programmes.delivery.models.EventStatus",
        "ReviewStatusEnum": "programmes.delivery.models.ReviewStatus",
    },
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "programmes.api.schema.describe_path_parameters",
    ],
}

# E-mail (Django's MAILERS): printed on the console in development; sent through an SMTP relay
# in production (DJANGO_EMAIL_BACKEND names another backend). Only the worker talks to the relay
# (pfp.outbox.sending); its timeout stays well below OUTBOX_CLAIM_TIMEOUT.
EMAIL_BACKEND_PATH = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
MAILERS = {
    "default": (
        {
            "BACKEND": EMAIL_BACKEND_PATH,
            "OPTIONS": {
                "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
                "timeout": 30,
            },
        }
        if EMAIL_BACKEND_PATH.endswith(".smtp.EmailBackend")
        else {"BACKEND": EMAIL_BACKEND_PATH}
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "pfp@localhost")
# The address links in e-mails start with, without a trailing slash.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background work (Django's task framework): tasks wait in the database (django-tasks-db) until a
# worker runs them (manage.py db_worker; several, on several machines, share the queue).
# DJANGO_TASKS_IMMEDIATE=1 runs each task at once in the process that enqueues it (no worker).
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if env_flag("DJANGO_TASKS_IMMEDIATE")
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}
# The outbox (pfp.outbox.sending): tries per message before it is "failed"; the wait after the
# first failure (doubled after each); how long a message may stay "sending" before the sweep
# takes its worker for dead; how many messages one sweep sends at most.
OUTBOX_MAX_TRIES = int(os.environ.get("PFP_OUTBOX_MAX_TRIES", "8"))
OUTBOX_RETRY_AFTER = timedelta(seconds=int(os.environ.get("PFP_OUTBOX_RETRY_SECONDS", "60")))
OUTBOX_CLAIM_TIMEOUT = timedelta(minutes=10)
OUTBOX_SWEEP_LIMIT = 500
# What manage.py run_schedule enqueues, once per occasion (pfp.outbox.schedule): "every" is
# minute, hour, day, week (from Monday) or month (from its first day), "at" a local time of day.
PFP_DIGEST_TIME = os.environ.get("PFP_DIGEST_TIME", "07:00")
PFP_SCHEDULE = {
    "outbox-sweep": {"task": "pfp.outbox.tasks.sweep_outbox", "every": "minute"},
    "daily-digest": {
        "task": "pfp.outbox.tasks.send_daily_digests",
        "every": "day",
        "at": PFP_DIGEST_TIME,
    },
    "weekly-digest": {
        "task": "pfp.outbox.tasks.send_weekly_digests",
        "every": "week",
        "at": PFP_DIGEST_TIME,
    },
    # Reminders to the officers (programmes.reminders), before the digests gather them.
    "ending-reminders": {
        "task": "programmes.reminders.send_ending_reminders",
        "every": "month",
        "at": "06:30",
    },
    "review-reminders": {
        "task": "programmes.reminders.send_review_reminders",
        "every": "month",
        "at": "06:30",
    },
    "outcome-reminders": {
        "task": "programmes.reminders.send_outcome_reminders",
        "every": "day",
        "at": "06:30",
    },
    "awaiting-reminders": {
        "task": "programmes.reminders.send_awaiting_reminders",
        "every": "day",
        "at": "06:30",
    },
    # Prepared downloads older than a day, kept PDFs older than a week (pfp.downloads).
    "downloads-cleanup": {"task": "pfp.downloads.tasks.delete_old_files", "every": "hour"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"client_errors_in_one_line": {"()": "pfp.logs.ClientErrorsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "pfp": {"level": "INFO"},
        "partners": {"level": "INFO"},
        "programmes": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # A refused or missing page: one line, its traceback dropped (pfp/logs.py).
        "django.request": {"filters": ["client_errors_in_one_line"]},
    },
}
