"""Django settings. Everything that differs between a laptop and production comes from the environment."""

import os
import tempfile
from pathlib import Path

import dj_database_url

from ciqcredit.env import env_bool, env_date, env_float, env_int, env_list, env_rates, env_secret_key, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("CIQCREDIT_VAR_DIR", str(PROJECT_DIR / "var")))

# Production is the default: DEBUG only when asked for (the Makefile's development targets and the test suite do).
DEBUG = env_bool("DEBUG", False)
_DEV_SECRET = "ciqcredit-local-development-only-secret-key-not-for-production"
SECRET_KEY = env_secret_key("SECRET_KEY", debug=DEBUG, development_key=_DEV_SECRET)
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
    "ciqcredit.partners",
    "ciqcredit.oversight",
    "ciqcredit.application",
    "ciqcredit.tracking",
    "ciqcredit.portal",
    "ciqcredit.repair",
    "ciqcredit.certificates",
    "ciqcredit.public",
    "ciqcredit.sharing",
    "ciqcredit.jobs",
    "ciqcredit.web",
    "ciqcredit.administration",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ciqcredit.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ciqcredit.audit.middleware.RequestIdMiddleware",
    "ciqcredit.web.middleware.InputCheckMiddleware",
    # e-CIQ's calls per declaration (decisions, grade lookups) are answered here, past what they need (above) and
    # before what they do not (below): docs/scaling.md.
    "ciqcredit.web.hotpath.HotPathMiddleware",
    "ciqcredit.public.ratelimit.PublicRateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
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
    # Tests use a file as well, not Django's shared in-memory database: there a write meeting another
    # connection's lock fails at once ("database table is locked") where a file in WAL mode waits, so a page
    # polling a running job would fail in tests as it never does in production. One file per test process.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"ciqcredit-test-{os.getpid()}.sqlite3")}

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

# The password policy, enforced by every form and by create_user (ciqcredit.organizations.accounts).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "ciqcredit.organizations.passwords.MinimumLength",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 8)},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username before the password is checked
    "ciqcredit.organizations.backends.AccountBackend",
]
# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failures for one username the login answers 429
# with a Chinese page for LOGIN_LOCKOUT_MINUTES; a successful login resets the count.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# Locking the account, not the address: staff log in from shared office addresses behind a proxy, and an
# attacker rotating addresses must not get more tries (axes.W006 asks for the address; deliberately not).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# API tokens expire this many days after they are made (0: until revoked); `ciqcredit rotate_token` renews one.
API_TOKEN_LIFETIME_DAYS = env_int("API_TOKEN_LIFETIME_DAYS", 365)
# How long a worker process keeps what it learnt of a bearer token (ciqcredit.organizations.auth): a revoked token,
# a deactivated account or changed scopes take effect in every worker within this many seconds (0: ask every time).
API_TOKEN_CACHE_SECONDS = env_float("API_TOKEN_CACHE_SECONDS", 1.0)
# API rate limit per client and per worker process (requests per second; 0: none), bursts of
# API_RATE_BURST_SECONDS worth; API_RATE_LIMITS overrides it per client: "eciq-national=8000,ems-national=50".
API_RATE_LIMIT = env_float("API_RATE_LIMIT", 5000.0)
API_RATE_BURST_SECONDS = env_float("API_RATE_BURST_SECONDS", 2.0)
API_RATE_LIMITS = env_rates("API_RATE_LIMITS")
# The public site (/public/, /api/public/v1/): requests per second per client address (0: none) with bursts of
# PUBLIC_RATE_BURST; behind a reverse proxy, the header it sets to the client's address (e.g. X-Real-IP).
PUBLIC_RATE_LIMIT = env_float("PUBLIC_RATE_LIMIT", 2.0)
PUBLIC_RATE_BURST = env_float("PUBLIC_RATE_BURST", 30.0)
PUBLIC_CLIENT_ADDRESS_HEADER = env_str("PUBLIC_CLIENT_ADDRESS_HEADER", "")
# How long public answers are cached (a listing or removal shows at once whatever this is; ciqcredit.public.disclosure).
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 60)
# The address the public reaches the platform at, printed (and QR-coded) on grade certificates; empty: the host of
# the request that printed the certificate.
CIQCREDIT_PUBLIC_URL = env_str("CIQCREDIT_PUBLIC_URL", "")
# A session ends after SESSION_IDLE_MINUTES without a request (each request renews it).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True

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
# TLS and browser protections, each settable from the environment; docs/production.md's example turns them on.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Only behind a TLS-terminating proxy that sets X-Forwarded-Proto and drops any value a client sent.
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Every asset is served by the platform itself; inline styles are allowed, inline scripts are not. `off` drops it.
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# One JSON line per request (ciqcredit.request) and per event; `LOG_FORMAT=text` for plain lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "ciqcredit.logs.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": env_str("LOG_FORMAT", "json")}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "ciqcredit.request": {"level": "INFO" if env_bool("LOG_REQUESTS", True) else "WARNING"},
        # The request line already tells of every 4xx; Django's own line would repeat it (5xx keep theirs, with
        # the traceback).
        "django.request": {"level": "ERROR"},
    },
}

# Development serves static files from the apps directly; production serves the collected, hashed files.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Jobs started from a page run in a thread of the serving process after the commit (no broker needed);
# `ciqcredit run_jobs` runs whatever is still queued. Off: jobs wait for the command (e.g. a cron entry).
CIQCREDIT_JOBS_IN_THREAD = env_bool("CIQCREDIT_JOBS_IN_THREAD", True)

# Notifications by e-mail (issue 13, docs/operations.md): Django's mail backend. The default writes each message
# as a file under var/mail (what the demo uses); production sets EMAIL_BACKEND to the SMTP backend and EMAIL_HOST.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ciqcredit@localhost")
