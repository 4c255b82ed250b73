"""Lotse's one settings module, configured entirely by environment variables.

The defaults give a working local installation (SQLite under ``var/``, mails on the console);
production sets ``LOTSE_DEBUG=0``, an ``https://`` ``LOTSE_BASE_URL``, a secret key and a
``DATABASE_URL``, and then ``lotse check --deploy`` has nothing to report.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from lotse import __version__


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
# Where the SQLite file, uploaded media and collected static files live.
DATA_DIR = Path(os.environ.get("LOTSE_DATA_DIR", Path.cwd() / "var")).resolve()

VERSION = __version__
DEBUG = env_bool("LOTSE_DEBUG", False)

# A fixed development key is only acceptable while the site is served over plain http on
# this machine; with an https base URL the key must come from the environment.
BASE_URL = os.environ.get("LOTSE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
HTTPS = BASE_URL.startswith("https://")
SECRET_KEY = os.environ.get("LOTSE_SECRET_KEY", "")
if not SECRET_KEY:
    if HTTPS and not DEBUG:
        raise RuntimeError("LOTSE_SECRET_KEY must be set when LOTSE_BASE_URL is https.")
    SECRET_KEY = "insecure-development-key-only-for-local-use-" + "x" * 20

_base_host = urlsplit(BASE_URL).hostname or "127.0.0.1"
ALLOWED_HOSTS = env_list("LOTSE_ALLOWED_HOSTS", f"{_base_host},127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = [BASE_URL]

INSTALLED_APPS = [
    "lotse.core",
    "lotse.accounts",
    "lotse.search",
    "lotse.strategy",
    "lotse.assessment",
    "lotse.participation",
    "lotse.council",
    "lotse.paperimport",
    "lotse.voting",
    "lotse.reporting",
    "lotse.oparl",
    "lotse.opendata",
    "lotse.ozg",
    "lotse.region",
    "lotse.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_htmx",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "lotse.ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A busy database (SQLite locked, PostgreSQL serialization/lock timeout) answers 503.
    "lotse.core.middleware.BusyDatabaseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lotse.ops.replica.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "lotse.accounts.middleware.RequireMFAMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Axes must come last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lotse.urls"
WSGI_APPLICATION = "lotse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lotse.core.context_processors.site",
                "lotse.opendata.context_processors.feeds",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'lotse.sqlite3'}",
        conn_max_age=int(os.environ.get("LOTSE_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # WAL and IMMEDIATE transactions let a web process and the task worker write to the
    # same file without "database is locked" errors. Connections are kept as on PostgreSQL
    # (LOTSE_DB_CONN_MAX_AGE): a new one reads the whole schema first, ~7 ms a request.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Scale-out: an optional PostgreSQL streaming replica for the reads of anonymous visitors
# (lotse.ops.replica says exactly which reads; never one that follows the user's own write).
if os.environ.get("LOTSE_DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["LOTSE_DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["lotse.ops.replica.ReplicaRouter"]
# Seconds a client reads from the primary after its own write (a cookie set on POST & co.).
LOTSE_REPLICA_PIN_SECONDS = int(os.environ.get("LOTSE_REPLICA_PIN_SECONDS", "15"))

# Seconds a process keeps a body page's body in memory (core.bodies; renewed at once when a
# body changes, in the other processes within 2 s). 0 looks it up on every request.
LOTSE_BODY_CACHE_SECONDS = int(os.environ.get("LOTSE_BODY_CACHE_SECONDS", "60"))

# The database cache is shared by every app process, which rate limits and axes need.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "lotse_cache",
    }
}
# Scale-out: Redis for the cache (and so for rate limits) and for sessions, shared by every
# app process; sessions are written through to the database too, so a Redis restart signs
# nobody out. Axes keeps its lockouts in the database (AXES_HANDLER below).
LOTSE_REDIS_URL = os.environ.get("LOTSE_REDIS_URL", "")
if LOTSE_REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": LOTSE_REDIS_URL,
        "KEY_PREFIX": "lotse",
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Accounts -------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "lotse.accounts.forms.SignupForm"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Lotse] "
# Per-account lockout is axes' job (LOTSE_LOGIN_FAILURE_LIMIT); allauth keeps only a flood
# limit per IP address so that the two do not answer the same failure differently.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip"}
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = (
    "allauth.account.forms.EmailAwarePasswordResetTokenGenerator"
)
PASSWORD_RESET_TIMEOUT = int(os.environ.get("LOTSE_PASSWORD_RESET_TIMEOUT", str(3 * 24 * 3600)))
# Staff choose an authenticator app (TOTP) or a security key/passkey (WebAuthn) as second factor.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Lotse"
# Browsers offer WebAuthn on https and on http://localhost only.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not HTTPS
# Every role above citizen, chairs and (per body) voting members must use a second factor
# (accounts/mfa.py); switch off only for local experiments.
LOTSE_MFA_REQUIRED = env_bool("LOTSE_MFA_REQUIRED", True)

AXES_FAILURE_LIMIT = int(os.environ.get("LOTSE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOTSE_LOGIN_COOLOFF_HOURS", "0.25"))
# Lock an account for one address only: failures for a known account sent from a stranger's
# address do not lock out its owner elsewhere (allauth's flood limit per address still applies).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Addresses/networks of reverse proxies whose X-Forwarded-For is believed (client_ip.py).
LOTSE_TRUSTED_PROXIES = env_list("LOTSE_TRUSTED_PROXIES", "")
AXES_CLIENT_IP_CALLABLE = "lotse.accounts.client_ip.client_ip"
RATELIMIT_IP_META_KEY = "lotse.accounts.client_ip.client_ip"
ACCOUNT_ADAPTER = "lotse.accounts.adapters.AccountAdapter"
AXES_USERNAME_CALLABLE = "lotse.accounts.axes.login_identifier"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lotse.accounts.views.lockout"
AXES_ENABLED = env_bool("LOTSE_AXES_ENABLED", True)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
# The overrides (formal "Sie" for allauth) come first so that they win.
LOCALE_PATHS = [PACKAGE_DIR / "locale_overrides", PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Production lets the web server deliver MEDIA_ROOT; a local installation lets Django do it.
LOTSE_SERVE_MEDIA = env_bool("LOTSE_SERVE_MEDIA", not HTTPS)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("LOTSE_STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Security -------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features Lotse never uses are switched off for every response (places of ideas are
# typed, not located; nothing records, pays or goes full screen). Passkeys stay allowed for
# this origin so that WebAuthn sign-in works.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "bluetooth": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("LOTSE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = int(os.environ.get("LOTSE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("LOTSE_HSTS_PRELOAD", True)
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Mail -----------------------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "LOTSE_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("LOTSE_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("LOTSE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("LOTSE_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("LOTSE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("LOTSE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("LOTSE_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("LOTSE_DEFAULT_FROM_EMAIL", "Lotse <lotse@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Lotse", a) for a in env_list("LOTSE_ADMINS", "")]

# --- Background tasks -----------------------------------------------------------------------

TASKS = {
    "default": {"BACKEND": os.environ.get("LOTSE_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}
}

# --- Operator and legal pages ---------------------------------------------------------------

LOTSE_OPERATOR = {
    "name": os.environ.get("LOTSE_OPERATOR_NAME", "Musterkreis (Demo-Installation)"),
    "address": os.environ.get("LOTSE_OPERATOR_ADDRESS", "Musterplatz 1, 12345 Musterstadt"),
    "representative": os.environ.get("LOTSE_OPERATOR_REPRESENTATIVE", "Landrätin Erika Muster"),
    "email": os.environ.get("LOTSE_OPERATOR_EMAIL", "digitalisierung@musterkreis.example"),
    "phone": os.environ.get("LOTSE_OPERATOR_PHONE", "+49 123 4567-0"),
    "vat_id": os.environ.get("LOTSE_OPERATOR_VAT_ID", ""),
    "dpo_email": os.environ.get("LOTSE_DPO_EMAIL", "datenschutz@musterkreis.example"),
    "accessibility_email": os.environ.get(
        "LOTSE_ACCESSIBILITY_EMAIL", "barrierefreiheit@musterkreis.example"
    ),
    # The enforcement body depends on the Land; NRW's is the default.
    "enforcement_name": os.environ.get(
        "LOTSE_ACCESSIBILITY_ENFORCEMENT_NAME",
        "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen",
    ),
    "enforcement_url": os.environ.get("LOTSE_ACCESSIBILITY_ENFORCEMENT_URL", ""),
}
# When the accessibility statement was last reviewed (BITV 2.0 requires the date).
LOTSE_ACCESSIBILITY_REVIEWED = os.environ.get("LOTSE_ACCESSIBILITY_REVIEWED", "2026-11-22")

# Rate limit for forms anyone may post (django-ratelimit notation).
LOTSE_PUBLIC_POST_RATE = os.environ.get("LOTSE_PUBLIC_POST_RATE", "5/h")
# "Bestätigungs-E-Mail erneut senden" per client address (allauth adds 1 per 3 min per address).
LOTSE_RESEND_CONFIRMATION_RATE = os.environ.get("LOTSE_RESEND_CONFIRMATION_RATE", "5/h")
RATELIMIT_VIEW = "lotse.core.views.rate_limited"

NINJA_PAGINATION_PER_PAGE = 50

# Council attachments: the largest file accepted, in bytes.
LOTSE_COUNCIL_FILE_MAX_BYTES = int(os.environ.get("LOTSE_COUNCIL_FILE_MAX_BYTES", 20 * 1024 * 1024))
# Live meetings: seconds one event stream stays open before the browser reconnects.
LOTSE_LIVE_STREAM_SECONDS = int(os.environ.get("LOTSE_LIVE_STREAM_SECONDS", "25"))
# … and how many streams one app process holds at once; more viewers poll every two seconds.
LOTSE_LIVE_MAX_STREAMS = int(os.environ.get("LOTSE_LIVE_MAX_STREAMS", "6"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOTSE_LOG_LEVEL", "INFO")},
    # WeasyPrint reports every layout step of a PDF at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

# Open data: the DCAT-AP.de contributor id (dcatde:contributorID) of datasets whose body has
# none of its own; one from http://dcat-ap.de/def/contributors/ (GovData harvests only those).
LOTSE_OPENDATA_CONTRIBUTOR_ID = os.environ.get(
    "LOTSE_OPENDATA_CONTRIBUTOR_ID", "http://dcat-ap.de/def/contributors/openNRW"
)
# OZG: the maturity model new ratings use (``key:version``; the federal 0–4 model by default).
LOTSE_OZG_MATURITY_MODEL = os.environ.get("LOTSE_OZG_MATURITY_MODEL", "ozg-bund:1")
# Prometheus metrics at /metrics, for a scraper that sends "Authorization: Bearer <token>";
# without a token the address does not exist (404).
LOTSE_METRICS_TOKEN = os.environ.get("LOTSE_METRICS_TOKEN", "")
