"""MEİS settings: the one module that reads the environment.

Every setting an operator may change comes from an environment variable (twelve-factor). The
defaults are the safe production ones; `MEIS_DEMO=1` (what `make run` sets) relaxes only what a
laptop demo needs and keeps DEBUG off, so visitors see the product's error pages; `DEBUG=1`
relaxes the same and adds Django's debugging pages. See docs/adr/0003-settings-from-environment.md
and docs/configuration.md for the full list.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
DEBUG: bool = env.bool("DEBUG", default=False)
# The laptop demo (`make run`): development key, local hosts, plain HTTP, console e-mail and SMS,
# the readable outbox at /<lang>/dev/, printed demo accounts, static files from the source tree.
MEIS_DEMO: bool = env.bool("MEIS_DEMO", default=False)
_LAPTOP = DEBUG or MEIS_DEMO  # what both relax; only DEBUG shows Django's debugging pages

_DEV_SECRET_KEY = "django-insecure-meis-development-key-not-for-production"  # noqa: S105
SECRET_KEY: str = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if _LAPTOP else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG and MEIS_DEMO are off.")

ALLOWED_HOSTS: list[str] = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if _LAPTOP else []
)
# The demo's outbox shows everyone's one-time codes: it must never answer another machine.
if MEIS_DEMO and set(ALLOWED_HOSTS) - {"127.0.0.1", "localhost", "[::1]"}:
    raise ImproperlyConfigured(
        "MEIS_DEMO serves the demo outbox (everyone's sign-in codes) and a public secret key: "
        "it answers only 127.0.0.1, localhost and [::1]. Unset MEIS_DEMO on a reachable server."
    )
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "meis.accounts.admin_site.MeisAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "meis.core",
    "meis.registry",
    "meis.audit",
    "meis.centres",
    "meis.appointments",
    "meis.accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "meis.portal",
    "meis.notifications",
    "meis.calculators",
    "meis.workcalendar",
    "meis.catalog",
    "meis.cases",
    "meis.backoffice",
    "meis.insurance",
    "meis.labour",
    "meis.employers",
    "meis.inspection",
    "meis.employment",
    "meis.jobcentre",
    "meis.veterans",
    "meis.disability",
    "meis.payments",
    "meis.lifeevents",
    "meis.awards",
    "meis.proactive",
    "meis.certificates",
    "meis.mailintake",
    "meis.walkin",
    "meis.callcentre",
    "meis.usage",
    "meis.stats",
    "meis.api",
    "meis.demo",
    "meis.monitoring",
    "ninja",  # the API documentation page and its own static files (swagger-ui)
]

MIDDLEWARE = [
    # Counts every request and starts its clock (django-prometheus; its pair is the last one).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Everything after it (limits, audit, the API's call log) reads the client's address.
    "meis.core.proxy.TrustedProxyMiddleware",
    # /healthz, /readyz and /metrics, before the host check, HTTPS redirect and sessions.
    "meis.monitoring.middleware.MonitoringMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below) and Permissions-Policy on every
    # answer, static files and errors included.
    "csp.middleware.CSPMiddleware",
    "meis.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known (its 404 is in the address's language), before any view.
    "meis.core.middleware.InputNormalisationMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (it reads the user); its header is added on the way out.
    "meis.core.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "meis.accounts.middleware.SessionPolicyMiddleware",
    "meis.core.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "meis.api.middleware.ApiCallLogMiddleware",
    # Marks a client that has just written, so it reads its writes from the primary.
    "meis.core.replica.RecentWriteMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "meis.urls"
WSGI_APPLICATION = "meis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "meis" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "meis.portal.context_processors.language_links",
                "meis.portal.navigation.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default so that `make run` needs nothing installed; production and CI
# use PostgreSQL through DATABASE_URL (postgres://user@host:5432/name).
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'meis.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web process read while the task worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A PostgreSQL streaming replica (optional): the read-mostly public pages read from it
# (meis/core/replica.py, docs/deployment.md); a client that has just written reads from the
# primary for REPLICA_READ_YOUR_WRITES_SECONDS.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["meis.core.replica.ReplicaRouter"]
REPLICA_READ_YOUR_WRITES_SECONDS = env.int("REPLICA_READ_YOUR_WRITES_SECONDS", default=30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# Sessions are read from the cache first (a Redis GET in place of a database read on every
# request) and written to both — but only when every process shares the cache: with a cache of
# each process's own (the demo's locmem), one process would go on serving a session another has
# ended.
SESSION_ENGINE = "django.contrib.sessions.backends." + (
    "cached_db" if CACHES["default"]["BACKEND"].endswith("RedisCache") else "db"
)
# The API's per-client limits: atomic counters in Redis, shared by every process (meis/api).
API_RATE_LIMIT_REDIS_URL = env.str("API_RATE_LIMIT_REDIS_URL", default="redis://127.0.0.1:6379/2")
API_OPEN_RATE_LIMIT_PER_MINUTE = env.int("API_OPEN_RATE_LIMIT_PER_MINUTE", default=120)
# Where the counters live in Redis; two installations sharing one Redis set different prefixes.
API_RATE_LIMIT_PREFIX = env.str("API_RATE_LIMIT_PREFIX", default="meis:api:rate:")

# --- Background work ------------------------------------------------------------------------
# Django's Tasks API with the database backend (ADR 0004): enqueued in the caller's transaction.
TASKS = {
    "default": {
        "BACKEND": env.str("TASK_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# --- Security -------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=15 * 60)
# Written when it changes, and by SessionPolicyMiddleware when its last write is a minute old:
# the idle expiry still follows activity, without a database write on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Scripts, styles, fonts and images from this site only: no inline script or style (the pages
# have none; docs/security.md), no plug-ins, no framing, forms post only here. `data:` images are
# the icons inside the GOV.UK Frontend and Swagger UI style sheets.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no page uses, refused for the page and anything it could embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
# Behind a TLS-terminating proxy in production; a laptop demo runs on plain HTTP.
_SECURE_DEFAULT = not _LAPTOP
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=_SECURE_DEFAULT)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=_SECURE_DEFAULT)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_SECURE_DEFAULT)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if _LAPTOP else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not _LAPTOP)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not _LAPTOP)
# The TLS-terminating proxies (addresses or networks) whose X-Forwarded-For names the client
# (meis.core.proxy); empty: REMOTE_ADDR is the client, the header is ignored.
MEIS_TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /health/ is polled by load balancers over plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "az"
LANGUAGES = [("az", _("Azerbaijani")), ("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "meis" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Baku"
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "meis" / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"  # never served directly: files go through the access funnel
STORAGES = {
    "default": {
        "BACKEND": env.str(
            "FILE_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        ),
    },
    "staticfiles": {
        "BACKEND": env.str(
            "STATIC_STORAGE_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if _LAPTOP
            else "meis.core.static_storage.CompressedManifestStorage",
        ),
    },
}
# Without DEBUG, runserver serves no static files: in the demo WhiteNoise serves them straight
# from the source tree (no collectstatic); production serves the collected, hashed copies.
WHITENOISE_USE_FINDERS = _LAPTOP
if _LAPTOP:  # WhiteNoise warns when the collected-static directory, unused here, is missing
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- E-mail ---------------------------------------------------------------------------------
vars().update(
    env.email_url("EMAIL_URL", default="consolemail://" if _LAPTOP else "smtp://localhost:25")
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="MEİS <no-reply@meis.example>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Logging --------------------------------------------------------------------------------
# One JSON object a line in production (python-json-logger): the log collector reads fields, not
# free text. The laptop keeps the plain line a person reads.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if _LAPTOP else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured(f"LOG_FORMAT is {LOG_FORMAT!r}: use json or plain.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC, whatever TIME_ZONE says
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # axes logs every sign-in attempt at INFO; failures are in the audit trail already. pikepdf
    # announces its logging bridge at INFO in every process (even `meis check`).
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

# --- Monitoring (meis.monitoring, docs/deployment.md) ----------------------------------------
# /metrics answers a request carrying this bearer token, or from these addresses or networks;
# anyone else gets 403. Both empty: nobody reads the metrics.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])
# With several web worker processes each counts its requests alone; with this directory set
# (prometheus_client reads the same variable) they count into files a scrape adds up. It must
# exist and be emptied when the server starts (`make serve` does both).
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="")

# --- MEİS -----------------------------------------------------------------------------------
# Uploaded documents: ClamAV's clamd (unix socket path or host:port); empty = not scanned.
MEIS_CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="")
MEIS_VIRUS_SCANNER = env.str("VIRUS_SCANNER", default="")
# A worker is considered alive by /health/ when it finished a heartbeat task this recently.
MEIS_WORKER_HEARTBEAT_MAX_AGE_SECONDS = env.int("WORKER_HEARTBEAT_MAX_AGE", default=120)
# A task whose worker was not seen this long is handed back to the queue (ADR 0021), and given
# up (failed) once it has been claimed this many times.
MEIS_TASK_LEASE_SECONDS = env.int("TASK_LEASE_SECONDS", default=120)
MEIS_TASK_MAX_ATTEMPTS = env.int("TASK_MAX_ATTEMPTS", default=5)
# The demo's "now" for the DOST centres' directory and appointment book (ISO date-time in Baku,
# e.g. 2020-03-16T10:00); obeyed only in a demo or with DEBUG (meis/centres/clock.py).
MEIS_DEMO_NOW = env.str("DEMO_NOW", default="")

# --- Notifications (meis/notifications, ADR 0005, docs/sms-gateway.md) ------------------------
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=8)
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=30)
NOTIFICATION_RETRY_MAX_SECONDS = env.int("NOTIFICATION_RETRY_MAX_SECONDS", default=6 * 3600)
# A message claimed longer ago than this is presumed lost with its worker and is sent again.
NOTIFICATION_SENDING_LEASE = env.int("NOTIFICATION_SENDING_LEASE", default=300)
NOTIFICATION_MESSAGE_ID_DOMAIN = env.str("NOTIFICATION_MESSAGE_ID_DOMAIN", default="meis.example")
# A delivery task claims and sends this many due messages at a time, over one SMTP connection.
NOTIFICATION_BATCH_SIZE = env.int("NOTIFICATION_BATCH_SIZE", default=100)
# Each process keeps the current template versions this long (a new version is seen after it).
NOTIFICATION_TEMPLATE_CACHE_SECONDS = env.int("NOTIFICATION_TEMPLATE_CACHE_SECONDS", default=60)
# Total size of one message's attachments (before base64, which adds a third).
NOTIFICATION_ATTACHMENTS_MAX_BYTES = env.int(
    "NOTIFICATION_ATTACHMENTS_MAX_BYTES", default=10 * 1024 * 1024
)
# Text and attachments of sent e-mails and SMS are removed after this many days (the status
# record stays); one-time codes an hour after they were written.
NOTIFICATION_BODY_RETENTION_DAYS = env.int("NOTIFICATION_BODY_RETENTION_DAYS", default=90)

# --- E-mail intake (meis/mailintake): each centre's mailbox over IMAP --------------------------
# "<centre code>=imap[s]://user:password@host:port/folder", comma-separated (docs/configuration.md).
MAIL_INTAKE_MAILBOXES = env.str("MAIL_INTAKE_MAILBOXES", default="")
MAIL_INTAKE_MAX_MESSAGE_BYTES = env.int("MAIL_INTAKE_MAX_MESSAGE_BYTES", default=50 * 1024 * 1024)
MAIL_INTAKE_ATTACHMENT_MAX_KB = env.int("MAIL_INTAKE_ATTACHMENT_MAX_KB", default=10 * 1024)
MAIL_INTAKE_ATTACHMENTS_MAX_COUNT = env.int("MAIL_INTAKE_ATTACHMENTS_MAX_COUNT", default=20)
MAIL_INTAKE_TIMEOUT = env.float("MAIL_INTAKE_TIMEOUT", default=30.0)

# Proactive assignment (meis.proactive): a full run or recalculation that may change more awards
# than this waits for a second administrator's approval (four eyes).
PROACTIVE_FOUR_EYES_THRESHOLD = env.int("PROACTIVE_FOUR_EYES_THRESHOLD", default=1000)
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="console:" if _LAPTOP else "")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)
SMS_CALLBACK_SECRET = env.str("SMS_CALLBACK_SECRET", default="")

# --- The public address ----------------------------------------------------------------------
# Links that leave the site (messages, PDFs, QR codes) are absolute: this address + the path.
# `make run` serves on PORT, so the demo's links follow it; production sets the real address.
PUBLIC_BASE_URL = env.str(
    "PUBLIC_BASE_URL",
    default=f"http://127.0.0.1:{env.int('PORT', default=8000)}" if _LAPTOP else "",
).rstrip("/")

# --- E-certificates (meis.certificates, ADR 0011) -------------------------------------------
# The ministry's signing key (PKCS#12) and the CA that verification trusts; `make run` writes a
# demo pair there (`meis certificates demo-ca`). The printed link is CERTIFICATE_VERIFY_BASE_URL +
# /verify/<code>/; the QR code holds the short upper-case form <BASE>/V/<CODE> (QR alphanumeric
# mode: a smaller code), which redirects to it.
CERTIFICATE_SIGNING_P12 = env.str(
    "CERTIFICATE_SIGNING_P12", default=str(VAR_DIR / "certificates" / "signing.p12")
)
# Or a PEM private key and a PEM file with its certificate and issuing CAs (used when KEY is set).
CERTIFICATE_SIGNING_KEY = env.str("CERTIFICATE_SIGNING_KEY", default="")
CERTIFICATE_SIGNING_CHAIN = env.str("CERTIFICATE_SIGNING_CHAIN", default="")
CERTIFICATE_SIGNING_PASSPHRASE = env.str("CERTIFICATE_SIGNING_PASSPHRASE", default="")
CERTIFICATE_TRUST_ROOTS = env.str(
    "CERTIFICATE_TRUST_ROOTS", default=str(VAR_DIR / "certificates" / "ca.pem")
)
CERTIFICATE_VERIFY_BASE_URL = env.str("CERTIFICATE_VERIFY_BASE_URL", default=PUBLIC_BASE_URL)
CERTIFICATE_VERIFY_LIMIT_PER_ADDRESS = env.int("CERTIFICATE_VERIFY_LIMIT_PER_ADDRESS", default=30)

# --- Sign-in and sessions (meis.accounts; docs/adr/0006-threat-model.md) ---------------------
AUTHENTICATION_BACKENDS = [
    "meis.accounts.backends.StaffLockoutBackend",  # django-axes: refuses locked-out staff
    # Django's ModelBackend, loading a citizen's person with the user. Sessions begun under
    # "django.contrib.auth.backends.ModelBackend" (before 2026-12) end: the person signs in again.
    "meis.accounts.backends.UserAndPersonBackend",
]
LOGIN_URL = "accounts:citizen_sign_in"
# A session ends this many seconds after sign-in however active it is (idle: SESSION_COOKIE_AGE).
MEIS_SESSION_ABSOLUTE_AGE = env.int("SESSION_ABSOLUTE_AGE", default=8 * 60 * 60)
# Dotted path of the class that delivers citizens' one-time codes (meis/accounts/delivery.py).
MEIS_ONE_TIME_CODE_SENDER = env.str(
    "ONE_TIME_CODE_SENDER", default="meis.notifications.integrations.OutboxOneTimeCodeSender"
)
MEIS_SIGN_IN_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
MEIS_SIGN_IN_FAILURE_LIMIT_PER_ADDRESS = env.int("SIGN_IN_FAILURE_LIMIT_PER_ADDRESS", default=20)
MEIS_SIGN_IN_COOL_OFF_MINUTES = env.int("SIGN_IN_COOL_OFF_MINUTES", default=15)
MEIS_CODE_REQUEST_LIMIT = env.int("CODE_REQUEST_LIMIT", default=3)
MEIS_CODE_REQUEST_LIMIT_PER_ADDRESS = env.int("CODE_REQUEST_LIMIT_PER_ADDRESS", default=10)
# Codes that verify a new contact on an application, per cool-off window: per applicant, per
# phone number or e-mail address written to, and per client address.
MEIS_CONTACT_CODE_LIMIT = env.int("CONTACT_CODE_LIMIT", default=5)
MEIS_CONTACT_CODE_LIMIT_PER_DESTINATION = env.int("CONTACT_CODE_LIMIT_PER_DESTINATION", default=3)
MEIS_CONTACT_CODE_LIMIT_PER_ADDRESS = env.int("CONTACT_CODE_LIMIT_PER_ADDRESS", default=10)
# django-axes for staff username/password: lock a username, and separately an address.
AXES_FAILURE_LIMIT = MEIS_SIGN_IN_FAILURE_LIMIT
AXES_COOLOFF_TIME = MEIS_SIGN_IN_COOL_OFF_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "meis.accounts.views.staff_locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "MEİS"
