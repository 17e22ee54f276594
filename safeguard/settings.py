"""Django settings: SQLite under var/ by default, PostgreSQL when SAFEGUARD_DATABASE_URL is set."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("SAFEGUARD_VAR_DIR", PROJECT_ROOT / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
# The team's shared folder (reference, fixtures) sits beside the repository; tests read samples.
SHARED_DIR = Path(os.environ.get("SAFEGUARD_SHARED_DIR", PROJECT_ROOT.parent / "shared"))

DEBUG = os.environ.get("SAFEGUARD_DEBUG", "0") == "1"
# A development key only; production must set SAFEGUARD_SECRET_KEY (checked by `check --deploy`).
SECRET_KEY = os.environ.get("SAFEGUARD_SECRET_KEY", "dev-only-insecure-key-change-me")  # noqa: S105
ALLOWED_HOSTS = os.environ.get("SAFEGUARD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
    ","
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "safeguard.workforce",
    "safeguard.journey",
    "safeguard.access",
    "safeguard.web",
    "safeguard.synthetic",
    "safeguard.returns",
    "safeguard.performance",
    "safeguard.quality",
    "safeguard.protection",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

# Lockout, second factor, safe headers, session lifetime: declared in the protection app.
from safeguard.protection.auth_settings import *  # noqa: E402,F403
from safeguard.protection.auth_settings import wire  # noqa: E402

INSTALLED_APPS, MIDDLEWARE = wire(INSTALLED_APPS, MIDDLEWARE)

ROOT_URLCONF = "safeguard.urls"
WSGI_APPLICATION = "safeguard.wsgi.application"

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
            ]
        },
    }
]

DATABASE_URL = os.environ.get("SAFEGUARD_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'safeguard.db'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# SQLite: wait up to 30 s for the write lock, and take it when a transaction begins
# (IMMEDIATE): a transaction that read first cannot wait for it later, and fails at once with
# "database is locked" if another writer committed meanwhile (found by bench_web --sqlite).
SQLITE_OPTIONS = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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

SESSION_ENGINE = "safeguard.protection.session_store"  # a lost database is a 503, not a 400
SESSION_COOKIE_AGE = 30 * 60  # idle timeout of 30 minutes
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Change history (django-simple-history): its tables are read by object (`id`) and ordered by
# date within it, never searched by date, so the date index would only slow every write.
SIMPLE_HISTORY_DATE_INDEX = False

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# The date the pages work to; unset means today. The demo council is frozen at 30 June 2019.
SAFEGUARD_AS_AT = os.environ.get("SAFEGUARD_AS_AT") or None

# Local practice standards (not national): the seed council's defaults, overridable per deployment.
SAFEGUARD_LOCAL_STANDARDS = {
    "cp_visit_working_days": 10,
    "cin_visit_days": 28,
    "cp_supervision_days": 28,
    "cla_supervision_days": 42,
    "cin_supervision_days": 42,
    "referral_decision_working_days": 1,
}

# Documents attached to children's records: a private folder outside STATIC_ROOT, sent only by
# the download view after the scope check (safeguard.journey.document_store); size limit.
SAFEGUARD_DOCUMENTS_DIR = Path(
    os.environ.get("SAFEGUARD_DOCUMENTS_DIR", VAR_DIR / "media" / "documents")
)
SAFEGUARD_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
