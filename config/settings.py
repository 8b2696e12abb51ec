"""The one settings file. Everything that differs between machines comes from the environment.

With no environment at all gongkai runs on SQLite in ./var (GONGKAI_DATA_DIR moves it).
DATABASE_URL switches to PostgreSQL, REDIS_URL turns on Redis for cache and sessions, and
GONGKAI_ENV=production demands a real SECRET_KEY and allowed hosts from the environment.
"""

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
GONGKAI_ENV = env_str("GONGKAI_ENV", "development")
if GONGKAI_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"GONGKAI_ENV must be development, test or production, got {GONGKAI_ENV!r}"
    )
PRODUCTION = GONGKAI_ENV == "production"

DATA_DIR = Path(env_str("GONGKAI_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "生产环境（GONGKAI_ENV=production）须在环境变量中设置 SECRET_KEY"
            "（GONGKAI_ENV=production requires SECRET_KEY in the environment）"
        )
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", default=not PRODUCTION and GONGKAI_ENV != "test")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["*"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "生产环境（GONGKAI_ENV=production）须在环境变量中设置 ALLOWED_HOSTS（本站域名）"
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "ninja",  # Swagger UI served from our own static files (CSP allows no CDN)
    "axes",
    "captcha",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "gongkai.core",
    "gongkai.accounts",
    "gongkai.orgs",
    "gongkai.catalog",
    "gongkai.foi",
    "gongkai.participation",
    "gongkai.plans",
    "gongkai.reports",
    "gongkai.portal",
]

MIDDLEWARE = [
    "gongkai.core.health.HealthMiddleware",
    "gongkai.core.files.middleware.BodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongkai.core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongkai.core.replicas.ReplicaMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "gongkai.core.input_errors.InputGuardMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "gongkai.orgs.middleware.SiteMiddleware",
    "axes.middleware.AxesMiddleware",
    "gongkai.core.middleware.ActionErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "gongkai.orgs.context_processors.site",
                "gongkai.portal.navigation.context",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    # Streaming replicas for anonymous reads (gongkai.core.replicas); any number, in order.
    for _n, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
        DATABASES[f"replica{_n}"] = dj_database_url.parse(_url, conn_max_age=60)
        DATABASES[f"replica{_n}"].setdefault("OPTIONS", {})["connect_timeout"] = 2
        DATABASES[f"replica{_n}"]["TEST"] = {"MIRROR": "default"}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "gongkai.sqlite3"),
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": env_int("SQLITE_TIMEOUT", 20),
            },
            "TEST": {"NAME": DATA_DIR / "test.sqlite3" if env_bool("SQLITE_TEST_FILE") else None},
        }
    }
# Behind PgBouncer in transaction pooling mode no cursor may outlive its transaction.
if env_bool("GONGKAI_PGBOUNCER", False):
    for _db in DATABASES.values():
        _db["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASE_ROUTERS = ["gongkai.core.replicas.ReplicaRouter"]

# --- Cache and sessions -----------------------------------------------------------------------
# Sessions live in the database with the cache in front (cached_db): a Redis restart costs a
# cache miss, never a login. A Redis outage degrades to misses (gongkai.core.cache).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "gongkai.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Parallel test workers share one Redis: keep their keys apart.
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", env_str("PYTEST_XDIST_WORKER")),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Anonymous public pages cached per government (gongkai.core.pagecache).
GONGKAI_PAGE_CACHE = env_bool("GONGKAI_PAGE_CACHE", True)

# --- Background tasks -------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Lock the pair (account, client address): wrong passwords from one address lock that account
# there only, not every account behind the same proxy, nor the account everywhere. The address
# is the one rate limits use (GONGKAI_TRUSTED_PROXY decides whether the proxy header counts).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "gongkai.core.rate_limits.client_ip"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# ISO first in the input formats: date inputs render and accept only 2026-12-07.
FORMAT_MODULE_PATH = ["config.formats"]

# --- Uploaded files ---------------------------------------------------------------------------
# Limits on reading uploaded files (gongkai/core/files/limits.py DEFAULTS, key by key): upload
# size, archive unpacked size / entries / ratio, sheet rows × columns, the parsing child's
# memory and CPU, LibreOffice's limits and concurrency, PDF downloads per minute.
_MB = 1024 * 1024
GONGKAI_FILE_LIMITS = {
    "upload_bytes": env_int("GONGKAI_UPLOAD_MAX_MB", 20) * _MB,
    "unpacked_bytes": env_int("GONGKAI_UNPACKED_MAX_MB", 200) * _MB,
    "memory_bytes": env_int("GONGKAI_PARSE_MEMORY_MB", 1024) * _MB,
    "cpu_seconds": env_int("GONGKAI_PARSE_CPU_SECONDS", 60),
    "conversions": env_int("GONGKAI_CONVERSIONS", 2),
    "pdf_per_minute": env_int("GONGKAI_PDF_PER_MINUTE", 10),
}
# ID proofs (身份证明) are deleted this many days after the requester's last request closed
# (periodic job foi.id_proof_retention, audited).
GONGKAI_ID_PROOF_RETENTION_DAYS = env_int("GONGKAI_ID_PROOF_RETENTION_DAYS", 180)
# A request body is refused (413) from its Content-Length before anything reads it: the upload
# limit plus room for the form's other fields. The proxy refuses the same size first
# (deploy/nginx client_max_body_size, deploy/haproxy; docs/deployment.md).
GONGKAI_MAX_BODY_BYTES = GONGKAI_FILE_LIMITS["upload_bytes"] + 2 * _MB
# Form fields other than files are held in memory up to this; files above
# FILE_UPLOAD_MAX_MEMORY_SIZE stream to a temporary file (Django's defaults, stated).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
# Files every app node must see: a shared directory (NFS/CephFS mount) or S3-compatible object
# storage (GONGKAI_STORAGE=s3, django-storages). Nothing here is served without a view.
MEDIA_ROOT = Path(env_str("GONGKAI_MEDIA_DIR", str(DATA_DIR / "media"))).resolve()
PRIVATE_ROOT = Path(env_str("GONGKAI_PRIVATE_DIR", str(DATA_DIR / "private"))).resolve()
GONGKAI_STORAGE = env_str("GONGKAI_STORAGE", "filesystem")
if GONGKAI_STORAGE == "s3":
    _s3 = {
        "bucket_name": env_str("S3_BUCKET"),
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
        "access_key": env_str("S3_ACCESS_KEY_ID"),
        "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
        "region_name": env_str("S3_REGION") or None,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3}
    _private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "location": "private"},
    }
elif GONGKAI_STORAGE == "filesystem":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    _private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT},
    }
else:
    raise ImproperlyConfigured(f"GONGKAI_STORAGE must be filesystem or s3, got {GONGKAI_STORAGE!r}")
STORAGES = {
    "default": _default_storage,
    "private": _private_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Security ---------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
CSRF_COOKIE_HTTPONLY = False
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Test-only switches. Production refuses to start with either off (gongkai.core.production).
GONGKAI_CAPTCHA_ENABLED = env_bool("GONGKAI_CAPTCHA_ENABLED", True)
GONGKAI_RATE_LIMIT_ENABLED = env_bool("GONGKAI_RATE_LIMIT_ENABLED", True)

CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_LENGTH = 4
CAPTCHA_IMAGE_SIZE = (150, 50)
CAPTCHA_FONT_SIZE = 30
# The accessible alternative to the image captcha: a one-time code sent by this class
# (gongkai.core.one_time_codes): e-mail in production, the console in development, an in-memory
# outbox in tests. An SMS gateway is a class of the deployment's own.
GONGKAI_CODE_SENDER = env_str(
    "GONGKAI_CODE_SENDER",
    {
        "production": "gongkai.core.one_time_codes.MailSender",
        "test": "gongkai.core.one_time_codes.LocmemSender",
    }.get(GONGKAI_ENV, "gongkai.core.one_time_codes.ConsoleSender"),
)

# Client addresses (rate limits, login lockout). Only when a reverse proxy stands in front and
# sets the header does the address come from it: GONGKAI_PROXY_HEADER (X-Forwarded-For by
# default), the GONGKAI_PROXY_COUNT-th address from the right (the one the nearest trusted proxy
# appended). Without GONGKAI_TRUSTED_PROXY the header is ignored and REMOTE_ADDR is used.
GONGKAI_TRUSTED_PROXY = env_bool("GONGKAI_TRUSTED_PROXY", False)
# GET /metrics answers only these addresses or networks (the monitoring host), and never a
# request that came through the load balancer (gongkai.core.metrics).
GONGKAI_METRICS_ALLOW = env_list("GONGKAI_METRICS_ALLOW", ["127.0.0.0/8", "::1/128"])
GONGKAI_PROXY_HEADER = "HTTP_" + env_str("GONGKAI_PROXY_HEADER", "X-Forwarded-For").upper().replace(
    "-", "_"
)
GONGKAI_PROXY_COUNT = env_int("GONGKAI_PROXY_COUNT", 1)

# Whether a fee notice (收费通知) stops the reply clock until payment; RULES.md §3 marks the
# effect UNCONFIRMED. On by default.
GONGKAI_FOI_FEE_PAUSES_CLOCK = env_bool("GONGKAI_FOI_FEE_PAUSES_CLOCK", True)

# 索引号 scheme: a dotted path to a function (default 机构代码/年份-5位流水号).
GONGKAI_INDEX_NO_SCHEME = env_str("GONGKAI_INDEX_NO_SCHEME", "")

# The portal site served when the host name matches no government (an organisation slug).
GONGKAI_DEFAULT_SITE = env_str("GONGKAI_DEFAULT_SITE")

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "gongkai@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging ----------------------------------------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "kv": {"format": "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kv"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
