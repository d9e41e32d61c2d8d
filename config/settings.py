"""Insyn settings: everything that differs between installations comes from the environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _load_dotenv(path: Path) -> None:
    """KEY=value lines from .env; the real environment wins."""
    if not path.is_file():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("\"'"))


if "pytest" not in sys.modules:  # tests stay hermetic
    _load_dotenv(Path(os.environ.get("INSYN_ENV_FILE", BASE_DIR / ".env")))
VAR_DIR = Path(os.environ.get("INSYN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("INSYN_TESTING", False) or "pytest" in sys.modules

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEBUG or TESTING) else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "insyn.core",
    "insyn.records",
    "insyn.officials",
    "insyn.loans",
    "insyn.privacy",
    "insyn.api.apps.ApiConfig",
    "ninja",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v3",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # django-csp, outermost but one so that every response gets the policy (static files, early API errors);
    # frame-ancestors follows a view's X-Frame-Options (Wagtail's previews).
    "insyn.core.csp.InsynCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (which serves its own precompressed static files), before anything reading the body.
    # Django's GZipMiddleware (random padding against BREACH), skipping streamed file downloads.
    "insyn.core.compression.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # /api/ only: 413 on a too large Content-Length before the body is read; JSON for unmatched URLs.
    "insyn.api.middleware.ApiErrorMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that a locked-out login never reaches the view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "insyn" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'insyn.sqlite3'}"
# Connections are kept between requests (a new SQLite connection and its PRAGMAs cost 1.3 ms, a quarter of a
# 404; a PostgreSQL one more), checked before reuse so that a restarted database server costs one retry.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker write without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login rate limiting (django-axes): lock a user name + address pair after repeated failures.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind the proxy every visitor would be 127.0.0.1: one rule for the visitor's address (insyn/core/client_ip.py).
AXES_CLIENT_IP_CALLABLE = "insyn.core.client_ip.client_address"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("pl", _("Polish")), ("en", _("English"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

if os.environ.get("STORAGE_BACKEND", "filesystem") == "s3":
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", ""),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
else:
    default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# "public_pages": the rendered public pages of adopted (frozen) retention plans, in files so that every
# server worker process shares them (records.public_pages); a test run keeps them in its own memory.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "public_pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "public-pages"),
        "TIMEOUT": 30 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
    if not TESTING
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public-pages"},
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "insyn@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Security headers everywhere; cookies and HSTS tightened outside DEBUG.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No framing anywhere; Wagtail's preview views (the editor's preview panel is an iframe) set SAMEORIGIN
# on their own responses (wagtail.utils.decorators.xframe_options_sameorigin_override).
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # On by default (TLS ends at the proxy, which sets X-Forwarded-Proto); 0 only for a plain-http local run.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

WAGTAIL_SITE_NAME = "Insyn"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "ods", "csv", "txt"]
# Documents always go through Wagtail's serve view (login required in config/urls.py), never a raw storage URL;
# uploads are checked by content (insyn/core/forms.py). Only PDFs are shown inline.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "insyn.core.forms.ProtectedDocumentForm"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
# Raster images only (Willow checks the content on upload): no SVG, which can carry script.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_LOGIN_URL = "wagtailadmin_login"
LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"

# Protected files (insyn/core/files.py, docs/deployment.md): media are only served through views that check
# the actor's right. "stream" sends the bytes from Django (development, `make run`); behind nginx use
# "x-accel-redirect" (with an `internal` location at INSYN_X_ACCEL_PREFIX), behind Apache "x-sendfile".
INSYN_FILE_SERVE = os.environ.get("INSYN_FILE_SERVE", "stream")
INSYN_X_ACCEL_PREFIX = os.environ.get("INSYN_X_ACCEL_PREFIX", "/protected-media/")
# Folder under MEDIA_ROOT → the view that serves a file of it through its owning object; others are 404.
INSYN_MEDIA_OWNERS = {
    "governing-documents/": "insyn.core.views.governing_document_media",
    "loans/receipts/": "insyn.loans.views.receipt_media",
    "documents/": "insyn.core.views.wagtail_document_media",
    "original_images/": "insyn.core.views.wagtail_image_media",
    "images/": "insyn.core.views.wagtail_image_media",
}

# Content-Security-Policy on every response (django-csp); see docs/deployment.md "Protected files" for each
# relaxation. Scripts only from this site; styles also inline because Wagtail's admin sets style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# Daily background jobs, demo loaders, API routers and `insyn` commands are declared by each app on
# its AppConfig (insyn/core/registry.py).

# The audit trail's head (`insyn audit head`), published daily outside the database: appended to this
# file and POSTed to this URL when set; `insyn audit verify` checks every head in the file is still there.
INSYN_AUDIT_HEAD_FILE = os.environ.get("INSYN_AUDIT_HEAD_FILE", "")
INSYN_AUDIT_HEAD_URL = os.environ.get("INSYN_AUDIT_HEAD_URL", "")

# Days before `valid_until` on which the owner of a governing document is told.
INSYN_EXPIRY_NOTICE_DAYS = [90, 30, 0]

# Import limits (insyn.core.bounded_input): every imported file, whatever the door, is read
# within these; past one the import is refused with a message naming the setting. The
# defaults fit a 5,000-row plan with room (docs/user-guide/administrator.md, "Import limits").
INSYN_IMPORT_MAX_BYTES = int(os.environ.get("INSYN_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
INSYN_IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("INSYN_IMPORT_MAX_UNCOMPRESSED_BYTES", str(100 * 1024 * 1024)))
INSYN_IMPORT_MAX_RATIO = int(os.environ.get("INSYN_IMPORT_MAX_RATIO", "100"))
INSYN_IMPORT_MAX_ZIP_MEMBERS = int(os.environ.get("INSYN_IMPORT_MAX_ZIP_MEMBERS", "1000"))
INSYN_IMPORT_MAX_ROWS = int(os.environ.get("INSYN_IMPORT_MAX_ROWS", "50000"))
INSYN_IMPORT_MAX_COLUMNS = int(os.environ.get("INSYN_IMPORT_MAX_COLUMNS", "500"))
INSYN_IMPORT_MAX_CELLS = int(os.environ.get("INSYN_IMPORT_MAX_CELLS", "500000"))
INSYN_IMPORT_MAX_CELL_CHARS = int(os.environ.get("INSYN_IMPORT_MAX_CELL_CHARS", "100000"))
INSYN_IMPORT_MAX_DEPTH = int(os.environ.get("INSYN_IMPORT_MAX_DEPTH", "64"))
INSYN_IMPORT_MAX_SECONDS = int(os.environ.get("INSYN_IMPORT_MAX_SECONDS", "60"))
# A JSON or form body read into memory (the API's JSON plan import among them): a 5,000-row plan as JSON
# is about 5 MB. A larger body is refused with 413 before it is read (insyn.api.middleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(10 * 1024 * 1024)))
# An import preview keeps its file under media/imports/pending/ this long; a daily job removes older ones.
INSYN_IMPORT_PENDING_HOURS = int(os.environ.get("INSYN_IMPORT_PENDING_HOURS", "24"))

# Data protection (insyn.privacy). The e-ID provider of the data-subject request form is a dotted path
# (insyn/privacy/identity.py); the default offers no e-ID, and the test provider answers only under DEBUG or tests.
INSYN_EID_PROVIDER = os.environ.get("INSYN_EID_PROVIDER", "insyn.privacy.identity.DisabledProvider")
# How long a closed request is kept when no plan row linked to the register's request activity says (seed 003: 1 year).
INSYN_PRIVACY_REQUEST_RETENTION_DAYS = int(os.environ.get("INSYN_PRIVACY_REQUEST_RETENTION_DAYS", "365"))
INSYN_PRIVACY_IDENTITY_MAX_ATTEMPTS = int(os.environ.get("INSYN_PRIVACY_IDENTITY_MAX_ATTEMPTS", "5"))
# Days before a register's review date that the DPO is reminded.
INSYN_PRIVACY_REVIEW_REMINDER_DAYS = int(os.environ.get("INSYN_PRIVACY_REVIEW_REMINDER_DAYS", "30"))
INSYN_BASE_URL = WAGTAILADMIN_BASE_URL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
AXES_VERBOSE = False

if TESTING:
    import atexit
    import shutil
    import tempfile

    # Uploaded and generated files of a test run never land in var/media.
    MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="insyn-test-media-"))
    atexit.register(shutil.rmtree, MEDIA_ROOT, True)
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    TASKS = {
        "default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}
    }

# No Gravatar: it needs the internet and sends a hash of each user's e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
