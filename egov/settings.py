"""Django settings, read from the environment.

No default secrets: the secret key comes from ``EGOV_SECRET_KEY``, from the file named
by ``EGOV_SECRET_KEY_FILE``, or is generated once and kept in ``var/secret_key``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("EGOV_VAR_DIR", Path.cwd() / "var")).resolve()


def env(name: str, default: str = "") -> str:
    """A setting from the environment, or from the file named by NAME_FILE."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_flag(name: str, default: bool = False) -> bool:
    value = env(name)
    return value.lower() in {"1", "true", "yes", "on"} if value else default


def kept_secret_key() -> str:
    """The secret key kept under var/, generated on first run."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = env("EGOV_SECRET_KEY") or kept_secret_key()
DEBUG = env_flag("EGOV_DEBUG")
ALLOWED_HOSTS = [h for h in env("EGOV_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("EGOV_CSRF_TRUSTED_ORIGINS").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "ninja",  # the API docs page from ninja's own static files, not a CDN
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "huey.contrib.djhuey",
    "egov.core",
    "egov.trust",
    "egov.backup",
    "egov.approvals",
    "egov.supervision",
    "egov.monitoring",
    "egov.exchange",
]

MIDDLEWARE = [
    "egov.monitoring.middleware.RequestMetricsMiddleware",  # first: times the whole request
    "django.middleware.security.SecurityMiddleware",
    # Outermost of ours, so that they also see the answers of the ones below (ADR 0031,
    # docs/http-hardening.md): no-store for personal answers, the CSP header, JSON errors
    # under /api/, and bodies refused by their declared size before anything reads them.
    "egov.core.middleware.PrivateAnswersNotStoredMiddleware",
    "csp.middleware.CSPMiddleware",
    "egov.core.middleware.ApiAnswersJsonMiddleware",
    "egov.core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "egov.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "egov.trust.login.TrustedProxyCertificateMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "egov.core.otp.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "egov.core.middleware.QueryTextMiddleware",
]

ROOT_URLCONF = "egov.urls"
WSGI_APPLICATION = "egov.wsgi.application"
AUTH_USER_MODEL = "core.User"

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
                "csp.context_processors.nonce",
            ],
        },
    },
]


def database_from_url(url: str, *, transaction_pooler: bool = False) -> dj_database_url.DBConfig:
    """A Django database setting; SQLite gets WAL and IMMEDIATE transactions.

    ``transaction_pooler``: PostgreSQL is reached through PgBouncer in transaction
    mode (ADR 0052, docs/deployment.md), where consecutive transactions may run on
    different server connections: no server-side cursors and no prepared statements.
    """
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif transaction_pooler:
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
        config["OPTIONS"] = {**config.get("OPTIONS", {}), "prepare_threshold": None}
    return config


DATABASE_URL = env("EGOV_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'egov.sqlite3'}"
if DATABASE_URL.startswith("sqlite:///") and not DATABASE_URL.startswith("sqlite:///:memory:"):
    Path(DATABASE_URL.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
# Web processes of a province go through PgBouncer (transaction mode); task workers do not,
# because outbox delivery holds session advisory locks (ADR 0052).
DATABASES = {
    "default": database_from_url(
        DATABASE_URL, transaction_pooler=env_flag("EGOV_DATABASE_TRANSACTION_POOLER")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords: argon2 first (DESIGN.md); older hashes are upgraded on login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:workbench"
LOGOUT_REDIRECT_URL = "core:home"

# Lockout after repeated failures (django-axes): per account and address.
AXES_FAILURE_LIMIT = int(env("EGOV_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every command and process start
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"

# Two-factor (TOTP, django-otp) for administrators, RA officers and auditors (ADR 0018).
OTP_TOTP_ISSUER = env("EGOV_OTP_ISSUER", "egov")

# Certificate login (ADR 0019): the challenge's life; mutual TLS at a reverse proxy is off
# unless the header carrying the verified client certificate is named, and is read only
# from the proxies' addresses (IP addresses or networks, comma-separated).
EGOV_LOGIN_CHALLENGE_SECONDS = int(env("EGOV_LOGIN_CHALLENGE_SECONDS", "300"))
EGOV_TRUSTED_PROXY_CERT_HEADER = env("EGOV_TRUSTED_PROXY_CERT_HEADER")
EGOV_TRUSTED_PROXIES = [p.strip() for p in env("EGOV_TRUSTED_PROXIES").split(",") if p.strip()]

# Request bodies (docs/http-hardening.md): a body declared larger than EGOV_MAX_REQUEST_BYTES is
# refused (413) before it is read; form fields and JSON bodies are held in memory up to
# DATA_UPLOAD_MAX_MEMORY_SIZE, uploaded files up to FILE_UPLOAD_MAX_MEMORY_SIZE (then a temp file).
EGOV_MAX_REQUEST_BYTES = int(env("EGOV_MAX_REQUEST_BYTES", str(32 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB, Django's default, stated
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 100

# Sessions and cookies.
SECURE_COOKIES = not env_flag("EGOV_INSECURE_COOKIES") and not DEBUG
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_TLS_PROXY = env_flag("EGOV_BEHIND_TLS_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# Behind the TLS proxy every answer is https: plain http is redirected, and browsers are told
# (HSTS) to use https only, for EGOV_HSTS_SECONDS (a year unless told), subdomains included
# and preloadable unless EGOV_HSTS_SUBDOMAINS=0 (a subdomain still served over plain http).
SECURE_SSL_REDIRECT = BEHIND_TLS_PROXY
SECURE_HSTS_SECONDS = int(env("EGOV_HSTS_SECONDS", "31536000")) if BEHIND_TLS_PROXY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env("EGOV_HSTS_SUBDOMAINS", "1").lower() in {
    "1",
    "true",
    "yes",
    "on",
}
SECURE_HSTS_PRELOAD = SECURE_HSTS_INCLUDE_SUBDOMAINS

# Content-Security-Policy (django-csp 4, ADR 0031): scripts and styles from this site only,
# inline ones only with the request's nonce; no plugins, no framing, forms post here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# Background jobs (huey): SQLite storage by default, Redis at scale.
REDIS_URL = env("EGOV_REDIS_URL")
HUEY = {
    "name": "egov",
    "immediate": False,
    "consumer": {"workers": int(env("EGOV_WORKER_THREADS", "2")), "worker_type": "thread"},
}
if REDIS_URL:
    HUEY |= {"huey_class": "huey.PriorityRedisHuey", "url": REDIS_URL}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")}

# Cache: Django's own Redis backend when EGOV_CACHE_URL names one (redis://host:6379/2, a
# database number other than the job queue's); otherwise each process's memory, which is
# right for one process only (docs/deployment.md). Nothing relies on a shared cache today.
CACHE_URL = env("EGOV_CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }

# Event outbox delivery.
OUTBOX_MAX_ATTEMPTS = int(env("EGOV_OUTBOX_MAX_ATTEMPTS", "8"))


def kept_audit_key() -> str:
    """The audit chain's MAC key kept under var/, generated once (ADR 0036).

    Created by linking a finished temporary file into place, so processes
    starting together all end up with the one key that won.
    """
    path = VAR_DIR / "audit_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        draft = VAR_DIR / f".audit_key.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as written:
            written.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process linked its key first: use that one
        finally:
            draft.unlink()
    return path.read_text(encoding="utf-8").strip()


# Audit chain (ADR 0036): the HMAC-SM3 key of entries and checkpoints, and where the
# checkpoints of the chain's head are kept outside the database.
EGOV_AUDIT_KEY = env("EGOV_AUDIT_KEY") or kept_audit_key()
EGOV_AUDIT_CHECKPOINT_DIR = Path(
    env("EGOV_AUDIT_CHECKPOINT_DIR") or VAR_DIR / "audit-checkpoints"
).resolve()

# Disaster recovery (docs/backup.md, ADR 0040): restic repositories, comma-separated (a
# deployment sets a same-city and a remote one), their password (no default), targets.
EGOV_BACKUP_PASSWORD = env("EGOV_BACKUP_PASSWORD")
_default_backup_repository = str(VAR_DIR / "backup" / "repository")
EGOV_BACKUP_REPOSITORIES = [
    location.strip()
    for location in env("EGOV_BACKUP_REPOSITORIES", _default_backup_repository).split(",")
    if location.strip()
]
# Continuous replication of SQLite with Litestream (B.1): a directory or s3:// URL; off if unset.
EGOV_BACKUP_REPLICA = env("EGOV_BACKUP_REPLICA")
# /readyz fails when the replica may lack commits older than this (ADR 0043).
EGOV_BACKUP_REPLICA_MAX_LAG_SECONDS = float(env("EGOV_BACKUP_REPLICA_MAX_LAG_SECONDS", "60"))
EGOV_BACKUP_SCRATCH_DIR = Path(env("EGOV_BACKUP_SCRATCH_DIR") or VAR_DIR / "backup").resolve()
EGOV_BACKUP_RPO_HOURS = float(env("EGOV_BACKUP_RPO_HOURS", "24"))
EGOV_BACKUP_VERIFIED_MAX_AGE_HOURS = float(env("EGOV_BACKUP_VERIFIED_MAX_AGE_HOURS", "48"))
EGOV_BACKUP_KEEP_DAILY = int(env("EGOV_BACKUP_KEEP_DAILY", "7"))
EGOV_BACKUP_KEEP_WEEKLY = int(env("EGOV_BACKUP_KEEP_WEEKLY", "4"))
EGOV_BACKUP_KEEP_MONTHLY = int(env("EGOV_BACKUP_KEEP_MONTHLY", "12"))
EGOV_BACKUP_DRILL_DATABASE = env("EGOV_BACKUP_DRILL_DATABASE", "egov_backup_drill")
EGOV_BACKUP_DRILL_SERVE_SECONDS = float(env("EGOV_BACKUP_DRILL_SERVE_SECONDS", "180"))
# Monitoring (ADR 0038, 0039): who may read /metrics and /readyz's details (networks, or the
# bearer token), readiness thresholds, and the correlation rules' parameters.
EGOV_METRICS_ALLOWED_NETWORKS = [
    n.strip() for n in env("EGOV_METRICS_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128").split(",")
    if n.strip()
]  # fmt: skip
EGOV_METRICS_TOKEN = env("EGOV_METRICS_TOKEN")
EGOV_READY_MIN_FREE_MB = int(env("EGOV_READY_MIN_FREE_MB", "500"))
EGOV_READY_MAX_OUTBOX_LAG_SECONDS = int(env("EGOV_READY_MAX_OUTBOX_LAG_SECONDS", "600"))
EGOV_MONITORING_ODD_HOURS = env("EGOV_MONITORING_ODD_HOURS", "22-6")
EGOV_MONITORING_BRUTE_FORCE_USERNAMES = int(env("EGOV_MONITORING_BRUTE_FORCE_USERNAMES", "5"))
EGOV_MONITORING_BRUTE_FORCE_MINUTES = int(env("EGOV_MONITORING_BRUTE_FORCE_MINUTES", "10"))

EMAIL_BACKEND = env("EGOV_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# SMS gateway for alerts (dotted path to a class with send(phone, text)); logs by default.
EGOV_SMS_BACKEND = env("EGOV_SMS_BACKEND", "egov.supervision.statistics.notify.LoggingSmsBackend")

# Online applications each account, and each client address, may file (egov.core.ratelimit:
# "20/h", "100/d", "5/10m" or "off"); counted in the database, shared by every process.
EGOV_SUBMISSION_RATE = env("EGOV_SUBMISSION_RATE", "20/h")
EGOV_SUBMISSION_RATE_PER_ADDRESS = env("EGOV_SUBMISSION_RATE_PER_ADDRESS", "60/h")

# Exchange gateway (docs/exchange.md, ADR 0060): this node's member code, the directory holding
# its signing key and system certificate (`egov ca issue --kind system --out DIR` writes
# key.pem and cert.pem there), the freshness window and the largest message.
EGOV_EXCHANGE_NODE_CODE = env("EGOV_EXCHANGE_NODE_CODE", "egov-platform")
EGOV_EXCHANGE_NODE_DIR = Path(env("EGOV_EXCHANGE_NODE_DIR") or VAR_DIR / "exchange-node")
EGOV_EXCHANGE_WINDOW_SECONDS = int(env("EGOV_EXCHANGE_WINDOW_SECONDS", "600"))
EGOV_EXCHANGE_MAX_MESSAGE_BYTES = int(env("EGOV_EXCHANGE_MAX_MESSAGE_BYTES", "1048576"))
# Message log (docs/exchange.md): a node whose oldest entry is not time-stamped after
# EGOV_EXCHANGE_TIMESTAMP_MAX_AGE seconds (4 h, X-Road's default) stops sending; entries are
# kept EGOV_EXCHANGE_LOG_RETENTION_DAYS (180: the Cybersecurity Law's six months of logs).
EGOV_EXCHANGE_TIMESTAMP_MAX_AGE = int(env("EGOV_EXCHANGE_TIMESTAMP_MAX_AGE", "14400"))
EGOV_EXCHANGE_LOG_RETENTION_DAYS = int(env("EGOV_EXCHANGE_LOG_RETENTION_DAYS", "180"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("EGOV_LOG_LEVEL", "INFO")},
}
