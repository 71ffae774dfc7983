"""Django settings. Everything that differs between a laptop and production comes from the environment."""

from pathlib import Path

import dj_database_url

from ciqcredit.env import env_bool, env_date, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("CIQCREDIT_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "ciqcredit-local-development-only-secret-key-not-for-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

# Fixes the platform's idea of today for demos and tests; shown as a banner in the UI.
CIQCREDIT_TODAY = env_date("CIQCREDIT_TODAY")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ciqcredit.audit",
    "ciqcredit.organizations",
    "ciqcredit.enterprises",
    "ciqcredit.workdays",
    "ciqcredit.catalogue",
    "ciqcredit.collection",
    "ciqcredit.rating",
    "ciqcredit.dynamic",
    "ciqcredit.oversight",
    "ciqcredit.application",
    "ciqcredit.tracking",
    "ciqcredit.jobs",
    "ciqcredit.web",
    "ciqcredit.administration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ciqcredit.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ciqcredit.urls"
WSGI_APPLICATION = "ciqcredit.wsgi.application"
ASGI_APPLICATION = "ciqcredit.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ciqcredit.web.context.platform",
            ],
        },
    },
]

_DEFAULT_DB = f"sqlite:///{VAR_DIR / 'ciqcredit.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _DEFAULT_DB), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default needs no set-up: make the database's folder on first use.
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers go on while an import writes; IMMEDIATE avoids lock upgrades failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        # A 256 MiB page cache keeps a million-row import from spilling the WAL over and over.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# A streaming replica of the primary (docs/scaling.md): the read-only hot paths read there (ciqcredit/replica.py).
_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if _REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests: the replica alias reads the test database
    DATABASE_ROUTERS = ["ciqcredit.replica.ReplicaRouter"]
CIQCREDIT_REPLICA_MAX_LAG = float(env_str("CIQCREDIT_REPLICA_MAX_LAG", "1.0"))  # seconds

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organizations.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]

LANGUAGE_CODE = "zh-hans"
# The staff UI is Chinese only: no Accept-Language switching to English strings.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# A TrueType CJK font embedded in written notices (reportlab cannot embed CFF fonts such as Noto CJK).
CIQCREDIT_NOTICE_FONT = env_str("CIQCREDIT_NOTICE_FONT", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(env_str("CIQCREDIT_MEDIA_DIR", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Development serves static files from the apps directly; production serves the collected, hashed files.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Jobs started from a page run in a thread of the serving process after the commit (no broker needed);
# `ciqcredit run_jobs` runs whatever is still queued. Off: jobs wait for the command (e.g. a cron entry).
CIQCREDIT_JOBS_IN_THREAD = env_bool("CIQCREDIT_JOBS_IN_THREAD", True)
