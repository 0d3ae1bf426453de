"""Balie settings. Everything that differs per installation comes from the environment.

See README "Productie" for the variables a library's IT sets.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "ja", "on"}


DEBUG = env_bool("BALIE_DEBUG", True)
# The demo key is only acceptable with DEBUG on; production must set BALIE_SECRET_KEY.
SECRET_KEY = os.environ.get("BALIE_SECRET_KEY", "demo-only-not-for-production-" + "x" * 32)
if not DEBUG and SECRET_KEY.startswith("demo-only"):
    raise RuntimeError("Zet BALIE_SECRET_KEY in de omgeving voordat Balie in productie draait.")

ALLOWED_HOSTS = [h for h in os.environ.get("BALIE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("BALIE_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "balie.core",
    "balie.accounts",
    "balie.network",
    "balie.desk",
    "balie.api",
    "balie.public",
    "balie.walkin",
    "balie.messagecheck",
    "balie.letters",
    "balie.knowledge",
    "balie.suggestions",
    "balie.toolkit",
    "balie.signals",
    "balie.partners",
    "balie.referrals",
    "balie.courses",
    "balie.forecast",
    "balie.survey",
    "balie.insight",
    # Development only: the demo data and its commands; it imports the apps above, none of them imports it.
    "balie.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "balie.core.access.ScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "balie.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "balie" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "balie.core.context_processors.navigation",
            ],
            "builtins": ["balie.core.templatetags.balie_tags"],
        },
    },
]

WSGI_APPLICATION = "balie.wsgi.application"

# SQLite is the embedded default so `make run` needs nothing installed;
# DATABASE_URL=postgres://... switches to PostgreSQL with no other change.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("BALIE_DB_CONN_MAX_AGE", "60")),
        # A persistent connection that died with a database restart is replaced before use, not failed on (review L4).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web server use the file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) speed up PostgreSQL; SQLite simply ignores the extra columns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (review M6): after 10 failed attempts an account, and separately an address, is locked for an hour.
# Every login and every failure is also written to the audit log (core.apps).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("BALIE_LOGIN_FAILURE_LIMIT", "10"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "balie" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "balie" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app directories in development and tests (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Sessions are read from the process cache and written through to the database: one query less per page.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
# Desk PCs are shared: a session lasts one working day at most and ends when the browser closes (review M6).
SESSION_COOKIE_AGE = int(os.environ.get("BALIE_SESSION_HOURS", "9")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env_bool("BALIE_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

EMAIL_BACKEND = os.environ.get("BALIE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# E-mail is sent by the task worker (core/outbox.py): a hanging mail server must not hold it for ever.
EMAIL_TIMEOUT = int(os.environ.get("BALIE_EMAIL_TIMEOUT", "30"))
# Attempts per e-mail before the referral or signal shows "nog niet bereikt per e-mail" for good (about two hours).
BALIE_MAIL_MAX_ATTEMPTS = int(os.environ.get("BALIE_MAIL_MAX_ATTEMPTS", "8"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "balie.api.problems.problem_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Balie API",
    "DESCRIPTION": "API van Balie, het registratiesysteem van de Informatiepunten Digitale Overheid.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("BALIE_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# The worker (`manage.py run_worker`, core/worker.py) fails a task that is RUNNING this long when it cannot tell whether
# the worker that claimed it still lives (another host, a plain db_worker); on its own host it knows at once.
BALIE_TASK_STALE_MINUTES = int(os.environ.get("BALIE_TASK_STALE_MINUTES", "60"))
# An import without progress this long is stopped ("De import is onderbroken; probeer het opnieuw") and its file deleted.
BALIE_IMPORT_TIMEOUT_MINUTES = int(os.environ.get("BALIE_IMPORT_TIMEOUT_MINUTES", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "balie.audit": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Domain settings.
BALIE_EDIT_WINDOW_HOURS = int(os.environ.get("BALIE_EDIT_WINDOW_HOURS", "24"))
# The PII name detector (deduce) takes seconds to load; the server warms it up in the background.
BALIE_PII_NAMES = env_bool("BALIE_PII_NAMES", True)
BALIE_PII_WARMUP = env_bool("BALIE_PII_WARMUP", True)

# Referrals, social map and courses (ADR 0009).
# Contact data of visitors who consented (referrals, course enrolments) is encrypted at rest with Fernet.
# BALIE_PII_KEY holds one or more keys separated by commas: the first encrypts, all decrypt (key rotation).
# Make one with: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
BALIE_PII_KEY = os.environ.get("BALIE_PII_KEY", "")
if not BALIE_PII_KEY:
    if not DEBUG:
        raise RuntimeError("Zet BALIE_PII_KEY in de omgeving (zie README, Productie) voordat Balie in productie draait.")
    BALIE_PII_KEY = "baqWI4nTdKSQkzGRWeSxC8dip8lHrS3r3pYXpBxPZjQ="  # demo only, public: never for real data
# Days after a referral closes (or a course ends) before the visitor's contact data is deleted.
BALIE_REFERRAL_RETENTION_DAYS = int(os.environ.get("BALIE_REFERRAL_RETENTION_DAYS", "90"))
# Working days without a status update before a referral is on the follow-up list and the partner is reminded.
BALIE_REFERRAL_FOLLOWUP_WORKING_DAYS = int(os.environ.get("BALIE_REFERRAL_FOLLOWUP_WORKING_DAYS", "10"))
# How long a partner's personal status link stays valid.
BALIE_PARTNER_LINK_DAYS = int(os.environ.get("BALIE_PARTNER_LINK_DAYS", "30"))
# Links in e-mails sent by background tasks (there is no request to take the host from).
BALIE_BASE_URL = os.environ.get("BALIE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Two API resources have a field "soort": the locations keep SoortEnum, the referral kinds get their own name (ADR 0009).
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {"VerwijzingSoortEnum": "balie.referrals.models.Kind", "SoortEnum": "balie.network.models.LocationKind"}
)
