"""Balie settings. Everything that differs per installation comes from the environment.

See README "Productie" for the variables a library's IT sets.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from csp.constants import NONCE, NONE, SELF

from balie.config import cache_config, database_config, env_bool, env_list, require_production_settings

BASE_DIR = Path(__file__).resolve().parent.parent


# --- Production safety (review M9) ------------------------------------------------------------------------------------
# DEBUG is off unless asked for: only the demo (make run, scripts/run.sh) sets BALIE_DEBUG=1. Without DEBUG, Balie refuses
# to start until the installation has its own secret key, encryption key and host names: a forgotten variable must
# stop the start, not fall back to the public demo values (forged partner links, readable contact data).
DEBUG = env_bool("BALIE_DEBUG", False)
DEMO_SECRET_KEY = "demo-only-not-for-production-" + "x" * 32
# Public (it is in this file): encrypts the demo's made-up contact data only.
DEMO_PII_KEY = "baqWI4nTdKSQkzGRWeSxC8dip8lHrS3r3pYXpBxPZjQ="


require_production_settings(DEBUG, demo_secret_key=DEMO_SECRET_KEY, demo_pii_key=DEMO_PII_KEY)
SECRET_KEY = os.environ.get("BALIE_SECRET_KEY", "") or DEMO_SECRET_KEY
ALLOWED_HOSTS = env_list("BALIE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
# --- end production safety --------------------------------------------------------------------------------------------
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("BALIE_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    # The admin site asks for the second factor too (balie.accounts.adminsite; two-factor block below).
    "balie.accounts.apps.BalieAdminConfig",
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
    "balie.core.apps.TasksDatabaseConfig",  # django_tasks_db, with a Dutch name in Beheer
    "axes",
    # Two-factor authentication (block "Two-factor" below); before balie.accounts, whose admin hides their device pages.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
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
    "balie.announcements",
    "balie.forecast",
    "balie.survey",
    "balie.insight",
    "balie.federation",
    # Development only: the demo data and its commands; it imports the apps above, none of them imports it.
    "balie.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A NUL character in path, query, headers, form or JSON body: 400 before anything reads it (review L3).
    "balie.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "balie.core.language.UserLanguageMiddleware",
    "balie.core.access.ScopeMiddleware",
    # django-otp's user.is_verified(), and: who still owes a second factor (or a new password) sees only those pages.
    "balie.accounts.twofactor.TwoFactorMiddleware",
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
                "django.template.context_processors.i18n",
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
DATABASES = {"default": database_config(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}

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

# --- Two-factor authentication and password reset (issue 12, review M6; README "Inloggen") --------------------------
# Coordinator, gemeente, landelijk, partner and admin accounts must confirm each login with a code from an app (TOTP)
# or a one-time recovery code when this is on. Library staff (medewerker) may switch it on for themselves.
# Off only for the demo (`make run`) and the tests; a user who has set up an app is still asked for its code.
BALIE_REQUIRE_2FA = env_bool("BALIE_REQUIRE_2FA", True)
# Wrong codes: after this many in a row the account may not try again for BALIE_2FA_LOCK_MINUTES (our own throttle,
# so django-otp's per-device delay is switched off: one rule, one message).
BALIE_2FA_FAILURE_LIMIT = int(os.environ.get("BALIE_2FA_FAILURE_LIMIT", "5"))
BALIE_2FA_LOCK_MINUTES = int(os.environ.get("BALIE_2FA_LOCK_MINUTES", "15"))
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_TOTP_ISSUER = os.environ.get("BALIE_2FA_ISSUER", "Balie")
# "Wachtwoord vergeten?": the link in the e-mail works once and for an hour; at most this many requests per hour
# per address and per e-mail address (django-ratelimit, on the default cache).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("BALIE_PASSWORD_RESET_MINUTES", "60")) * 60
BALIE_PASSWORD_RESET_RATE = os.environ.get("BALIE_PASSWORD_RESET_RATE", "5/h")

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

# Sessions are read from the cache (shared by all workers: BALIE_CACHE_URL below) and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
# Desk PCs are shared: a session lasts one working day at most and ends when the browser closes (review M6).
SESSION_COOKIE_AGE = int(os.environ.get("BALIE_SESSION_HOURS", "9")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env_bool("BALIE_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Production safety: HTTPS and security headers (review L6) ------------------------------------------------------
# On by default in production, off in the demo (plain http on 127.0.0.1). Every one can be switched with its variable.
# BALIE_PROXY_COUNT: how many reverse proxies (nginx, Apache) stand in front of gunicorn (README: one). Balie then
# trusts the X-Forwarded-Proto the proxy sets and takes the visitor's address from the last X-Forwarded-For entries
# (for the rate limits and the login lockout); 0 means the server is reached directly.
BALIE_PROXY_COUNT = int(os.environ.get("BALIE_PROXY_COUNT", "0" if DEBUG else "1"))
if BALIE_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# One answer to "who is this visitor" for the login lockout and the rate limits: behind a proxy every request comes
# from the proxy's address, and locking that out would lock out the whole library.
AXES_CLIENT_IP_CALLABLE = "balie.core.ratelimit.client_ip"
SECURE_SSL_REDIRECT = env_bool("BALIE_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("BALIE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("BALIE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading binds the whole registered domain (bibliotheek.nl, not just Balie's host) for years: that is the domain
# owner's decision, so it is opt-in (BALIE_HSTS_PRELOAD=1) and check --deploy's reminder about it (W021) is silenced.
SECURE_HSTS_PRELOAD = env_bool("BALIE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS += ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Error pages (core/errors.py, balie/urls.py): Dutch or English, Balie's layout, no stack trace.
CSRF_FAILURE_VIEW = "balie.core.errors.csrf_failure"
# Browser features no Balie page uses (core/security.py). Sound on the queue display uses Web Audio, not autoplay.
BALIE_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "midi=(), payment=(), publickey-credentials-get=(), serial=(), usb=(), xr-spatial-tracking=()"
)
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1, "balie.core.security.PermissionsPolicyMiddleware")
# Content-Security-Policy (django-csp): only Balie's own files. No inline script at all (scripts are static files);
# inline <style> blocks need the per-request nonce ({{ request.csp_nonce }}), style attributes are not allowed.
# tests/browser fail on any violation, tests/test_production.py on an inline script or style attribute in a template.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],  # data: for the favicon placeholder and the icons inside the NLDS stylesheet
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": SECURE_SSL_REDIRECT,
    },
}

# --- Shared cache and rate limits (review M10, L5) -------------------------------------------------------------------
# The cache must be shared by all gunicorn workers: sessions are read from it (a logout in one worker must end the
# session in the others) and the rate-limit counters live in it. BALIE_CACHE_URL: redis://host:6379/0 (needs the
# `redis` package), db://table (a table in Balie's own database, made by migrate; the production default) or
# locmem:// (one process only: the demo and the tests).
BALIE_CACHE_URL = os.environ.get("BALIE_CACHE_URL", "locmem://" if DEBUG else "db://balie_cache")


CACHES = {
    "default": cache_config(BALIE_CACHE_URL, alias="balie"),
    # Rate-limit counters: kept at least a day, so the database cache (which resets an entry's expiry when it counts
    # up) cannot forget a daily count early.
    "ratelimit": cache_config(BALIE_CACHE_URL, alias="rl", timeout=25 * 3600),
}
INSTALLED_APPS += ["csp", "django_ratelimit"]  # for their system checks
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # With the cache in the database, reading the session table directly is one query, the same as the cache table.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_ENABLE = env_bool("BALIE_RATELIMIT", True)
# A cache outage must not lock every visitor out: the limits are a brake on abuse, not an access control.
RATELIMIT_FAIL_OPEN = True
RATELIMIT_IP_META_KEY = "balie.core.ratelimit.client_ip"
# Each limit: one or more rates separated by commas, "N/period" (period s, m, h, d, optionally with a number: 10m).
# Who is counted (per address, per location, ...) is fixed in the code: see README "Productie", rate limits.
BALIE_RATELIMITS = {
    # "Is dit bericht echt?": per address. The public computers of a library share one address: room for a workshop.
    "messagecheck": os.environ.get("BALIE_RATELIMIT_MESSAGECHECK", "30/10m,300/d"),
    # Visitor survey answers: per address and survey link (review L5).
    "survey": os.environ.get("BALIE_RATELIMIT_SURVEY", "10/h,50/d"),
    # Kiosk numbers: per address and location, and per location in total (a kiosk cannot print faster than this).
    "kiosk": os.environ.get("BALIE_RATELIMIT_KIOSK", "40/10m"),
    "kiosk_location": os.environ.get("BALIE_RATELIMIT_KIOSK_LOCATION", "120/10m"),
    # The open-data API /api/v1/public/locaties: per address (clients may cache the answer five minutes).
    "public_api": os.environ.get("BALIE_RATELIMIT_PUBLIC_API", "60/10m"),
    # Every POST without login outside the API (login, links from e-mails, the visitor's queue page, ...): per address.
    "anonymous_post": os.environ.get("BALIE_RATELIMIT_ANONYMOUS_POST", "300/10m"),
    # New announcements (aanmeldingen) by a partner or municipality account, per account (web form and API together).
    "announce": os.environ.get("BALIE_RATELIMIT_ANNOUNCE", "30/10m,200/d"),
}
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1, "balie.core.ratelimit.AnonymousPostLimitMiddleware"
)
# django-ratelimit only knows memcached and the django-redis package by name. Django's own RedisCache counts atomically
# too; the database cache can undercount under concurrent requests (a limit then lets a few more through) and locmem is
# per process. core/checks.py replaces these two checks with Balie's own (a dummy or file cache is an error, a
# per-process cache in production a warning).
SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]
# --- end shared cache and rate limits ---------------------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get("BALIE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Who Balie's e-mails come from (referrals, signals, "wachtwoord vergeten"): the library's own address, not Django's
# "webmaster@localhost" (review 2026-12). Reply-To is optional: where partners' answers should go.
DEFAULT_FROM_EMAIL = os.environ.get("BALIE_MAIL_FROM", "Balie IDO <balie@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
BALIE_MAIL_REPLY_TO = [a.strip() for a in os.environ.get("BALIE_MAIL_REPLY_TO", "").split(",") if a.strip()]
# The SMTP server, for BALIE_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("BALIE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("BALIE_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("BALIE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("BALIE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("BALIE_EMAIL_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("BALIE_EMAIL_SSL", "0") == "1"
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
# Production refuses to start without its own key (see "Production safety" above); the demo uses the public DEMO_PII_KEY.
BALIE_PII_KEY = os.environ.get("BALIE_PII_KEY", "") or DEMO_PII_KEY
# Figures outside the library (ADR 0015): the secret behind every record key, and so behind the noise on every count a
# municipality, the nation or the public sees. Set it once and keep it: a new value gives every figure new noise (run
# `manage.py rebuild_rollups` after a change). Unset, it is derived from BALIE_SECRET_KEY.
BALIE_CELL_KEY = os.environ.get("BALIE_CELL_KEY", "") or "derived:" + hashlib.sha256(("balie-cell-key:" + SECRET_KEY).encode()).hexdigest()
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

# Federation (docs/federatie.md): a node delivers its figures to the national hub with `manage.py federatie_sync`
# (nightly by the task worker). Empty BALIE_HUB_URL: this installation is not a node. HTTPS is required except to a
# loopback address (the demo and the tests); behind FSC this is the address of the local outway.
BALIE_HUB_URL = os.environ.get("BALIE_HUB_URL", "").rstrip("/")
BALIE_HUB_TOKEN = os.environ.get("BALIE_HUB_TOKEN", "")
# How many months back each sync sends again (with their quarters and years): late corrections reach the hub.
BALIE_FEDERATION_MONTHS = int(os.environ.get("BALIE_FEDERATION_MONTHS", "13"))
# The hour (local time) after which the worker runs the nightly sync once a day.
BALIE_FEDERATION_HOUR = int(os.environ.get("BALIE_FEDERATION_HOUR", "2"))
