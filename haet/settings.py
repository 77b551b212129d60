"""haet settings, configured only by environment variables (see .env.example).

With nothing set, a newcomer gets the embedded default: SQLite in ./var, Celery tasks
run eagerly in the web process, mail printed to the console. DATABASE_URL and REDIS_URL
switch to PostgreSQL and Redis, as CI, docker-compose and production do.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = env_bool("DEBUG")
# The embedded default needs a key to start; production must set its own (checked by
# `check --deploy`, which rejects this one for being short and marked insecure).
SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-haet-embedded-default-only")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The demo clock: an ISO instant such as 2022-05-20T12:00-11:00. Never in production:
# with DEBUG off the settings refuse to load, so gunicorn, Celery and every manage.py
# command fail to start instead of running with moved deadlines (system checks alone
# do not run under gunicorn). The system check haet.E001 says the same in `check`.
HAET_NOW = os.environ.get("HAET_NOW", "")
if HAET_NOW and not DEBUG:
    raise ImproperlyConfigured(
        "HAET_NOW (the demo clock) is set while DEBUG is off: it would move every "
        "deadline. Unset HAET_NOW in production, or set DEBUG=1 for a demo."
    )

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
    "allauth.socialaccount",
    "haet",
    "haet.outbox",
    "haet.jobs",
    "haet.audit",
    "submissions",
    "reviews",
    "decisions",
    "proceedings",
    "awards",
    "schedule",
    "campaigns",
    "exchange",
    # The read-only API (issue 18): DRF and its OpenAPI schema.
    "rest_framework",
    "drf_spectacular",
    "api",
]
# The conflict rules that haet and submissions ask without importing reviews
# (haet/rules.py loads it at start-up and refuses to start without it).
HAET_CONFLICT_RULES = "reviews.conflicts.conflicted_submission_ids"

# ORCID login appears only when a client is configured; without it the provider is not
# even installed, so no button, URL or admin entry exists.
ORCID_CLIENT_ID = os.environ.get("ORCID_CLIENT_ID", "")
ORCID_SECRET = os.environ.get("ORCID_SECRET", "")
SOCIALACCOUNT_PROVIDERS: dict = {}
if ORCID_CLIENT_ID and ORCID_SECRET:
    INSTALLED_APPS.append("allauth.socialaccount.providers.orcid")
    SOCIALACCOUNT_PROVIDERS["orcid"] = {
        "APPS": [{"client_id": ORCID_CLIENT_ID, "secret": ORCID_SECRET}],
        "BASE_DOMAIN": os.environ.get("ORCID_BASE_DOMAIN", "orcid.org"),
        "MEMBER_API": False,
    }

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses HTML and JSON (haet/compression.py says why that is safe from
    # BREACH). After WhiteNoise, which serves static files pre-compressed itself.
    "haet.compression.CompressTextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A request id (X-Request-ID) and the signed-in actor for the audit log.
    "haet.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # NUL characters out of every parameter; a friendly page for too much text.
    "haet.middleware.RequestInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "haet.urls"
WSGI_APPLICATION = "haet.wsgi.application"

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
                "haet.context_processors.conference",
                "haet.context_processors.roles",
                "reviews.context_processors.delegated_reviews",
                "awards.context_processors.jury",
            ],
        },
    },
]

VAR_DIR = Path(os.environ.get("HAET_VAR_DIR", BASE_DIR / "var"))
if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded SQLite lives here
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'haet.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"  # noqa: E501
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: email is the login, verified before first use.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_ADAPTER = "haet.adapters.AccountAdapter"
SOCIALACCOUNT_ONLY = False
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"
# allauth limits sign-ins per client address (30 a minute). Behind a proxy every
# request comes from the proxy's address, so in the last hour before a deadline the
# whole conference shared those 30; the proxies we run (X-Forwarded-For) are trusted
# to say who the client is. 0 (no proxy) ignores the header, which clients can forge.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

# Uploaded papers are private: they live outside any served folder and leave only
# through permission-checked views. With S3 settings they go to an S3-compatible bucket
# (django-storages), so several web servers share them.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", VAR_DIR / "private"))
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    PRIVATE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    PRIVATE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
    }
STORAGES = {
    "default": PRIVATE_STORAGE,
    "private": PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("HAET_MANIFEST_STATIC", default=True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o600
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Django's default (1,000 fields) made a bulk decision on every submission of a
# 1,000-paper conference, and releasing them (one token each), a bare 400
# (bench/chair_actions.py). The 5 MB body limit above still bounds a request.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 50_000
# The size limit is enforced while a file streams in (submissions/uploads.py): the
# handler stops storing a file at its limit (the submission form's limits are the
# chairs' settings; any other file is capped at HAET_UPLOAD_MAX_BYTES), so Django
# never spools an over-size file. It also stamps when the upload started.
FILE_UPLOAD_HANDLERS = [
    "submissions.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
HAET_UPLOAD_MAX_BYTES = int(os.environ.get("HAET_UPLOAD_MAX_BYTES", 200 * 1024 * 1024))
# An upload counts against the deadline from the moment its request started, if
# its transfer took at most this long; a longer one counts as if it had started
# this long before it ended (submissions.deadlines.counted_at).
UPLOAD_TRANSFER_WINDOW_MINUTES = int(
    os.environ.get("UPLOAD_TRANSFER_WINDOW_MINUTES", "10")
)
# Files staged on the chairs' import page and never imported are swept after this
# many hours (exchange.imports.staging.sweep_staged): they hold people's data.
IMPORT_STAGING_MAX_AGE_HOURS = int(os.environ.get("IMPORT_STAGING_MAX_AGE_HOURS", "24"))

# Mail: console under the embedded default, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 20
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
# Without a name here, mails go out under the conference's acronym as the
# chairs set it (haet.outbox.delivery.sender): "ÉCO 2027 <noreply@...>".
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@haet.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: eager without Redis (the embedded default), a real broker with it.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
# A dead Redis must never hang a web request: publishing gives up quickly, and the
# periodic sweep delivers what was not published.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    "visibility_timeout": 3600,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = "UTC"

# The cache is Redis when configured, answered from local memory while Redis is
# unreachable (haet/cache.py says what fails open and what fails closed).
CACHES = {
    "default": (
        {"BACKEND": "haet.cache.FallbackRedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# The read-only API (api/): GET only, our hashed tokens or the session, paginated,
# throttled per token (api.throttling reads the rates at each request).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadOnly"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "haet read-only API",
    "DESCRIPTION": "What you may see on the pages, as JSON. GET only.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}
# Requests a minute per token (or signed-in person), and per address for anonymous
# clients: a number, "/min" or "/hour" appended by api.throttling.
API_RATE_PER_TOKEN = os.environ.get("API_RATE_PER_TOKEN", "600/min")
API_RATE_ANONYMOUS = os.environ.get("API_RATE_ANONYMOUS", "300/min")
# Sessions stay in the database, never in the cache: a Redis outage signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Production hardening; `check --deploy` passes with DEBUG off and a real SECRET_KEY.
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # pikepdf announces its C++ logger bridge at INFO on every start.
    "loggers": {"pikepdf": {"level": "WARNING"}},
}

AUTH_USER_MODEL = "haet.User"
