"""All settings, read from the environment with small typed helpers.

Safe defaults: DEBUG is off unless asked for, SQLite under ./var on one machine, PostgreSQL through
DATABASE_URL. Secrets can come from files (SECRET_KEY_FILE).
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_secret(name: str) -> str:
    """A secret from NAME, or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, "")


DATA_DIR = Path(env_str("WENMING_DATA_DIR", str(Path.cwd() / "var"))).resolve()


def _local_secret_key() -> str:
    """One machine, no SECRET_KEY given: keep a generated key under the data directory."""
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "rest_framework.authtoken",  # its table only: keys issued before org.ApiToken moved there by a migration
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "wenming.core",
    "wenming.org",
    "wenming.audit",
    "wenming.standards",
    "wenming.campaigns",
    "wenming.evidence",
    "wenming.assessments",
    "wenming.activities",
    "wenming.funding",
    "wenming.publicity",
    "wenming.supervision",
    "wenming.notifications",
    "wenming.reports",
    "wenming.surveys",
    "wenming.help",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "wenming.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wenming.core.middleware.SessionMiddleware",  # Django's, but background fetches never extend the session
    "wenming.core.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wenming.core.middleware.RequestIdMiddleware",
    "wenming.org.security.SecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wenming.urls"
WSGI_APPLICATION = "wenming.wsgi.application"

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
                "wenming.site.context_processors.shell",
            ],
            # {% partialdef %} everywhere without a load, as in Django 6 where it is built in.
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

# --- Database: SQLite (WAL, busy timeout) by default, anything dj-database-url knows otherwise.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "wenming.sqlite3",
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and sign-in
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "wenming.org.backends.UnitModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "wenming.org.validators.ComplexityValidator"},
    {"NAME": "wenming.org.security.PolicyPasswordValidator"},
]

# Lockout (等保): by default 5 failures lock the account for 15 minutes, whatever address they come from.
# The numbers come from the account's unit security policy, kept by its security administrator.
AXES_FAILURE_LIMIT = "wenming.org.security.lockout_failure_limit"
AXES_COOLOFF_TIME = "wenming.org.security.lockout_cool_off"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Idle sessions end after 30 minutes (the unit policy may change it): every request pushes the expiry forward.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
OTP_TOTP_ISSUER = "文明创建管理平台"
# A unit's security policy, until its security administrator saves one, asks the 三员 for a TOTP at sign-in
# (等保 level 3). Set to 0 only for a trial installation.
WENMING_ADMIN_TOTP_DEFAULT = env_bool("WENMING_ADMIN_TOTP_DEFAULT", True)
# API tokens end after this many days; the holder issues a new one on the “API 令牌” screen.
WENMING_API_TOKEN_DAYS = env_int("WENMING_API_TOKEN_DAYS", 90)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("WENMING_TLS", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Everything comes from this host; no inline scripts or styles (htmx's indicator style is switched off in base.html).
WENMING_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
if env_bool("WENMING_TLS", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("WENMING_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("WENMING_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("WENMING_HSTS_SUBDOMAINS", True)

# --- Language and time
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# ISO dates first in form inputs (a date input cannot show "2026/12/16"): wenming/core/formats
FORMAT_MODULE_PATH = ["wenming.core.formats"]
USE_TZ = True

# --- Files
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise looks here; `collectstatic` is optional
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: files go through views that check access
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Many machines: uploaded files and archives in an S3-compatible store (MinIO, OSS, COS) once a bucket is named.
# The bucket stays private; downloads are checked and audited by the app, then served by a short-lived signed URL
# (WENMING_S3_SIGNED_URL_SECONDS=0 streams them through the app instead, for stores browsers cannot reach).
WENMING_S3_BUCKET = env_str("WENMING_S3_BUCKET")
WENMING_S3_SIGNED_URL_SECONDS = env_int("WENMING_S3_SIGNED_URL_SECONDS", 300)
if WENMING_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": WENMING_S3_BUCKET,
            "endpoint_url": env_str("WENMING_S3_ENDPOINT_URL") or None,
            "access_key": env_secret("WENMING_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_secret("WENMING_S3_SECRET_ACCESS_KEY") or None,
            "region_name": env_str("WENMING_S3_REGION") or None,
            "location": env_str("WENMING_S3_PREFIX"),
            "addressing_style": env_str("WENMING_S3_ADDRESSING_STYLE") or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": WENMING_S3_SIGNED_URL_SECONDS or 300,
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Background work
TASKS = {
    "default": {
        "BACKEND": env_str("WENMING_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Jobs waiting longer than this while no job starts mean no worker runs: the office sees a banner, `wenming health`
# and /health.json report it.
WENMING_WORKER_STALL_MINUTES = env_int("WENMING_WORKER_STALL_MINUTES", 5)

# Public survey answers one address may send to one survey per hour (0: no limit; see wenming.surveys.services).
WENMING_SURVEY_ANSWERS_PER_ADDRESS_HOUR = env_int("WENMING_SURVEY_ANSWERS_PER_ADDRESS_HOUR", 120)

# --- API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "wenming.org.tokens.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "wenming.core.schema.AutoSchema",  # documents the error answers of every operation
    "EXCEPTION_HANDLER": "wenming.core.api.exception_handler",  # 409s carry the current version
}
SPECTACULAR_SETTINGS = {
    "TITLE": "文明创建管理平台 API (Wenming)",
    "DESCRIPTION": "组织、人员等接口；令牌认证用于系统集成，会话认证用于浏览器。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,  # request bodies get their own components: an upload is a binary, not a URL
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums", "wenming.core.schema.no_control_characters",
    ],
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name across apps get their own names (else drf-spectacular invents hashes).
    "ENUM_NAME_OVERRIDES": {
        "AssessmentStatusEnum": "wenming.assessments.models.Assessment.Status",
        "FindingSeverityEnum": "wenming.assessments.models.Finding.Severity",
        "ReportKindEnum": "wenming.reports.models.Kind",
        "JobStatusEnum": "wenming.reports.models.ReportJob.Status",
        "CampaignStatusEnum": "wenming.campaigns.models.Campaign.Status",
    },
}
# Examples per operation in the API fuzz test (wenming/core/tests/test_api_fuzz.py): few in CI, more by hand.
API_FUZZ_EXAMPLES = env_int("WENMING_API_FUZZ_EXAMPLES", 4)

# --- Mail for notifications; console by default so nothing leaves the host unasked.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "wenming@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# The site's address (https://wenming.court.example), for absolute links in email and group-robot messages.
WENMING_SITE_URL = env_str("WENMING_SITE_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# axes.W006 wants the address in the lockout key; we lock the account whatever address the attempts come from,
# which is what 等保 asks for and is stricter against address rotation.
# security.W021 asks for HSTS preloading, which only public domains can have; court intranets cannot.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "security.W021"]
