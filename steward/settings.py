"""Steward's one settings module, configured by environment variables.

Production needs at least ``SECRET_KEY``, ``ALLOWED_HOSTS`` and
``DATABASE_URL`` (PostgreSQL). Local use (``make run``) sets ``DEBUG=1`` and
falls back to an SQLite file under ``var/``.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("STEWARD_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
TESTING = env_bool("STEWARD_TESTING")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-local-only-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment, or DEBUG=1 for local use."
        )

# Demo users may skip multi-factor authentication on a developer's own machine
# only: the setting is refused outright when DEBUG is off.
DEMO_SKIP_MFA = env_bool("DEMO_SKIP_MFA")
if DEMO_SKIP_MFA and not DEBUG:
    raise ImproperlyConfigured("DEMO_SKIP_MFA=1 is for local use only and needs DEBUG=1.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEBUG or TESTING) else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_q",
    "csp",
    "ninja",
    "steward.core",
    "steward.audit",
    "steward.accounts",
    "steward.organisations",
    "steward.register",
    "steward.notifications",
    "steward.standards",
    "steward.fitness",
    "steward.references",
    "steward.concerns",
    "steward.cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "steward.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "steward.core.middleware.NullCharacterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "steward.accounts.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "steward.urls"
WSGI_APPLICATION = "steward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "steward.core.jinja.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "steward.core.context_processors.layout",
            ],
        },
    },
    {
        # Django's own engine serves the admin site and allauth's rarely used pages.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "steward" / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database ---------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'steward.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # Writers queue instead of failing with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    if not TESTING:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A database-backed cache is shared by every process (rate limits, MFA replay
# protection) without another server; point CACHE_URL at Redis when scaled.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "steward_cache",
    }
}
if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Sign-in ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Tests create many users; the real hasher is exercised by its own test.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "start"

ACCOUNT_ADAPTER = "steward.accounts.adapters.AccountAdapter"
MFA_ADAPTER = "steward.accounts.adapters.MfaAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/15m/key",
    "login": "30/m/ip",
    "reset_password": "5/m/ip,3/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp"]
MFA_TOTP_ISSUER = "Steward"
MFA_TOTP_TOLERANCE = 1

SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    # NHS.UK frontend comes from npm at build time and is never committed; its
    # styles are compiled into build/static by `make install` (see the Makefile).
    ("nhsuk", NODE_MODULES / "nhsuk-frontend" / "dist" / "nhsuk"),
    BASE_DIR / "build" / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- Security ---------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Email ------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Steward <no-reply@steward.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where links in emails point.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
if TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# --- Fit and proper person test ---------------------------------------------
# The annual return for year N is due on this day (MM-DD) of year N + 1.
FITNESS_RETURN_DEADLINE = os.environ.get("FITNESS_RETURN_DEADLINE", "06-30")
# Chairs are reminded this many days before the deadline (and once it has passed).
FITNESS_REMINDER_DAYS = tuple(
    int(days) for days in os.environ.get("FITNESS_REMINDER_DAYS", "28,14,7,1").split(",")
)

# --- Background work --------------------------------------------------------
Q_CLUSTER = {
    "name": "steward",
    "orm": "default",
    "workers": int(os.environ.get("WORKER_PROCESSES", 2)),
    "timeout": 300,
    "retry": 600,
    "catch_up": False,
    "sync": TESTING,
}

# --- Audit trail ------------------------------------------------------------
# Ed25519 signing key for audit checkpoints, as 64 hex characters (32-byte
# seed). Local use derives one from SECRET_KEY so the demo works out of the box.
AUDIT_SIGNING_KEY = os.environ.get("AUDIT_SIGNING_KEY", "")
if not AUDIT_SIGNING_KEY and not (DEBUG or TESTING):
    raise ImproperlyConfigured("AUDIT_SIGNING_KEY is not set (64 hex characters).")
# Public keys (hex) of retired signing keys, so their checkpoints still verify.
AUDIT_PREVIOUS_VERIFY_KEYS = env_list("AUDIT_PREVIOUS_VERIFY_KEYS")

# --- Clients behind a proxy ----------------------------------------------------
# How many proxies stand in front of Steward (the TLS proxy in front of `steward
# serve` is one). Per-client rate limits take the client's address from the
# X-Forwarded-For header: the address the nearest trusted proxy saw (the Nth from
# the right). 0 (the default) uses REMOTE_ADDR, right only with no proxy in front.
try:
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0) or 0)
except ValueError as exc:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be a whole number, like 1.") from exc
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

# --- Concerns -----------------------------------------------------------------
# The regulator's concerns key (32 bytes as 64 hex characters): report content,
# messages, files and reporters' identities are sealed to its public half. Local
# use derives one from SECRET_KEY.
CONCERNS_PRIVATE_KEY = os.environ.get("CONCERNS_PRIVATE_KEY", "")
if not CONCERNS_PRIVATE_KEY and not (DEBUG or TESTING):
    raise ImproperlyConfigured("CONCERNS_PRIVATE_KEY is not set (64 hex characters).")
# Deadlines for the regulator: acknowledge a concern, then give substantive feedback.
CONCERNS_ACKNOWLEDGE_DAYS = int(os.environ.get("CONCERNS_ACKNOWLEDGE_DAYS", 7))
CONCERNS_FEEDBACK_MONTHS = int(os.environ.get("CONCERNS_FEEDBACK_MONTHS", 3))
# Daily limits (per client, and for everyone) on raising concerns and on wrong
# receipt codes; counted per day only, see ADR 005.
CONCERNS_SUBMISSIONS_PER_CLIENT_PER_DAY = int(
    os.environ.get("CONCERNS_SUBMISSIONS_PER_CLIENT_PER_DAY", 10)
)
CONCERNS_SUBMISSIONS_PER_DAY = int(os.environ.get("CONCERNS_SUBMISSIONS_PER_DAY", 5000))
CONCERNS_CODE_FAILURES_PER_CLIENT_PER_DAY = int(
    os.environ.get("CONCERNS_CODE_FAILURES_PER_CLIENT_PER_DAY", 20)
)
CONCERNS_CODE_FAILURES_PER_DAY = int(os.environ.get("CONCERNS_CODE_FAILURES_PER_DAY", 10000))
# Receipt codes one client may present in a day, right or wrong (each costs an
# Argon2 hash): generous, so a reporter reading and replying is never stopped.
CONCERNS_INBOX_READS_PER_CLIENT_PER_DAY = int(
    os.environ.get("CONCERNS_INBOX_READS_PER_CLIENT_PER_DAY", 500)
)
# How long the answers carried between the pages of raising a concern stay usable
# after the last page was shown (the time is only in the signed hidden field).
CONCERNS_JOURNEY_MAX_AGE_SECONDS = int(os.environ.get("CONCERNS_JOURNEY_MAX_AGE_SECONDS", 21600))
# Supporting files sent with a concern or a reply (PDF, JPEG, PNG, DOCX, XLSX, PPTX,
# plain text): the most bytes per file, and the most files at a time.
CONCERNS_FILE_MAX_BYTES = int(os.environ.get("CONCERNS_FILE_MAX_BYTES", 10 * 1024 * 1024))
CONCERNS_FILES_PER_SUBMISSION = int(os.environ.get("CONCERNS_FILES_PER_SUBMISSION", 5))
# Argon2id cost of hashing a receipt code (every code presented is hashed once).
# Codes carry 100 bits of entropy, so the hash guards a leaked database, not
# guessing: OWASP's minimum (2 passes, 19 MiB) keeps inbox reads cheap.
RECEIPT_ARGON2_TIME_COST = int(os.environ.get("RECEIPT_ARGON2_TIME_COST", 2))
RECEIPT_ARGON2_MEMORY_KIB = int(os.environ.get("RECEIPT_ARGON2_MEMORY_KIB", 19456))

# --- Fitness-to-practise cases ------------------------------------------------------
# Days of notice a registrant gets before a hearing, and to appeal a determination.
CASES_HEARING_NOTICE_DAYS = int(os.environ.get("CASES_HEARING_NOTICE_DAYS", 28))
CASES_APPEAL_DAYS = int(os.environ.get("CASES_APPEAL_DAYS", 28))
# Interim orders: the longest one can last, and how often it must be reviewed.
CASES_INTERIM_MAX_MONTHS = int(os.environ.get("CASES_INTERIM_MAX_MONTHS", 18))
CASES_INTERIM_REVIEW_MONTHS = int(os.environ.get("CASES_INTERIM_REVIEW_MONTHS", 6))
# The longest suspension, and how long before a sanction ends its review is due.
CASES_SUSPENSION_MAX_MONTHS = int(os.environ.get("CASES_SUSPENSION_MAX_MONTHS", 12))
CASES_REVIEW_BEFORE_EXPIRY_DAYS = int(os.environ.get("CASES_REVIEW_BEFORE_EXPIRY_DAYS", 56))
# Years each kind of sanction stays on the public entry after it ends (barring: for
# as long as it lasts, then this many years). Advice is never published.
CASES_PUBLICATION_YEARS = {
    "warning": int(os.environ.get("CASES_PUBLISH_WARNING_YEARS", 5)),
    "undertakings": int(os.environ.get("CASES_PUBLISH_UNDERTAKINGS_YEARS", 5)),
    "conditions": int(os.environ.get("CASES_PUBLISH_CONDITIONS_YEARS", 10)),
    "suspension": int(os.environ.get("CASES_PUBLISH_SUSPENSION_YEARS", 10)),
    "barring": int(os.environ.get("CASES_PUBLISH_BARRING_YEARS", 10)),
}
# Evidence files: the largest accepted.
CASES_EVIDENCE_MAX_BYTES = int(os.environ.get("CASES_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))

# --- Public register ----------------------------------------------------------
# Requests per client to the public register's pages and API, e.g. "120/m",
# "600/5m", or "off". Clients are told apart as steward.core.clients.client_group
# sees them (set TRUSTED_PROXY_COUNT behind a proxy).
REGISTER_PUBLIC_RATE = os.environ.get("REGISTER_PUBLIC_RATE", "120/m")

# --- API --------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50

# --- Logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No line about a request to the routes where concerns are raised and read
    # (a timed line would date a reporter's visit; ADR 005): on the handler for
    # every logger, and on Django's request loggers for any other handler.
    "filters": {"no_reporter_routes": {"()": "steward.core.logging.OmitReporterRoutes"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_reporter_routes"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Never log request bodies or query strings of failed requests: they can
        # hold restricted data. Django's request logger includes only the path.
        "django.request": {"level": "ERROR", "filters": ["no_reporter_routes"]},
        "django.security.csrf": {"filters": ["no_reporter_routes"]},
        "django.server": {"filters": ["no_reporter_routes"]},
    },
}
CSRF_FAILURE_VIEW = "steward.core.views.csrf_failure"
