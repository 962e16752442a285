"""Settings, read from the environment in this one place.

GONGKAI_DATA_DIR   where the embedded database, uploads and collected static files live (default ./var)
DATABASE_URL       a database URL; unset means SQLite under the data directory
GONGKAI_SECRET_KEY the secret key; unset means one generated once and kept in the data directory
GONGKAI_DEBUG      "1" for development error pages
GONGKAI_ALLOWED_HOSTS  comma-separated host names answered as the main site, besides GONGKAI_SITE_URL's and the
                   sites' own names from the site table (default: loopback names)
GONGKAI_SITE_URL   the main site's address, used in mail, and in feeds and sitemaps of the main site
                   (default http://127.0.0.1:8000)
GONGKAI_UNKNOWN_HOSTS  "refuse" (default: 400 with a Chinese page) or "main" (answered as the main site) for a
                   host name no site has
GONGKAI_CSRF_TRUSTED_ORIGINS  comma-separated origins trusted for forms besides every site's own
GONGKAI_MAX_UPLOAD_MB  the largest attachment accepted (default 20)
GONGKAI_PAGE_CACHE_SECONDS  lifetime bound of cached public pages (default 60; 0 turns the page cache off)
GONGKAI_STATIC_SITE_DIR  静态发布: public pages are also written as files here, one folder per site's host name, for
                   the web server (portal/static_site.py);
                   GONGKAI_STATIC_SITE_LIST_PAGES  how many pages of each column are written (default 10)
DATABASE_REPLICA_URL  a read replica of DATABASE_URL; anonymous portal reads go there (core/db_router.py)
REDIS_URL          a Redis server for the cache and sessions; unset means the database cache
GONGKAI_READY_WORKER_MAX_AGE  seconds after which /readyz calls the worker's last run too old (default 300)
GONGKAI_SMTP_HOST, GONGKAI_SMTP_PORT, GONGKAI_SMTP_USER, GONGKAI_SMTP_PASSWORD, GONGKAI_SMTP_TLS (STARTTLS),
GONGKAI_SMTP_SSL   the mail server; unset host means mail is printed by the worker, masked
GONGKAI_OIDC_*, GONGKAI_CAS_*  single sign-on for staff (统一身份认证): see _sso_providers below and the operator guide
GONGKAI_STORAGE    "s3" keeps uploaded files in an S3-compatible bucket (GONGKAI_S3_BUCKET, GONGKAI_S3_ENDPOINT_URL,
                   GONGKAI_S3_ACCESS_KEY_ID, GONGKAI_S3_SECRET_ACCESS_KEY, GONGKAI_S3_REGION); unset means MEDIA_ROOT
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_noop

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("GONGKAI_SECRET_KEY")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("GONGKAI_DEBUG")
# Host names are checked against the site table (gongkai.sites) by the first middleware, before anything reads
# them: Django's own list stays open so that a site added in the admin is answered without a restart.
ALLOWED_HOSTS = ["*"]
MAIN_SITE_HOSTS = [
    h.strip() for h in os.environ.get("GONGKAI_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",")
    if h.strip()
]
SITE_URL = os.environ.get("GONGKAI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Static publishing (portal/static_site.py): off unless a directory is given.
STATIC_SITE_DIR = os.environ.get("GONGKAI_STATIC_SITE_DIR", "").strip() or None
STATIC_SITE_LIST_PAGES = int(os.environ.get("GONGKAI_STATIC_SITE_LIST_PAGES", "10"))
UNKNOWN_HOSTS = os.environ.get("GONGKAI_UNKNOWN_HOSTS", "refuse").strip().lower()
if UNKNOWN_HOSTS not in {"refuse", "main"}:
    raise ValueError(f"GONGKAI_UNKNOWN_HOSTS must be 'refuse' or 'main', not {UNKNOWN_HOSTS!r}")
# Every site's own origins are trusted too (sites.middleware.SiteCsrfViewMiddleware).
CSRF_TRUSTED_ORIGINS = [SITE_URL] + [
    o.strip().rstrip("/") for o in os.environ.get("GONGKAI_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "gongkai.core",
    "gongkai.orgs",
    "gongkai.accounts",
    "gongkai.review",
    "gongkai.catalog",
    "gongkai.search",
    "gongkai.sites",
    "gongkai.syndication",
    "gongkai.applications",
    "gongkai.interaction",
    "gongkai.reports",
    "gongkai.inspection",
    "gongkai.visits",
    "gongkai.portal",
    "gongkai.workspace",
    "gongkai.api",
    "gongkai.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "gongkai.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files answer on any name, before the site is resolved
    "gongkai.sites.middleware.SiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "gongkai.sites.middleware.SiteCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongkai.accounts.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.core.middleware.ClientAddressMiddleware",
    "axes.middleware.AxesMiddleware",
    "gongkai.core.ratelimit.RateLimitMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

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
                "django.template.context_processors.i18n",
                "gongkai.workspace.todo.todo",
            ],
            "builtins": ["gongkai.core.templatetags.addresses"],
        },
    },
]

_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "gongkai.sqlite3"),
            "OPTIONS": {
                # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN,
                # so two writers queue instead of failing half-way (SQLite has no SELECT ... FOR UPDATE).
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            # Keep each server thread's connection: opening one runs the PRAGMAs above, which cost more than
            # a cached page itself.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": None},
        }
    }
# Several app servers (docs/operator-guide.md): a replica takes the anonymous portal's reads; everything else,
# and every write, stays on the primary. In tests the replica alias is the test database itself (MIRROR).
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if _replica_url:
    DATABASES["replica"] = {
        **dj_database_url.parse(_replica_url, conn_max_age=60, conn_health_checks=True),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["gongkai.core.db_router.ReplicaRouter"]
    # It needs request.user, so it runs right after authentication (inserted here, not listed above: without a
    # replica it would have nothing to decide).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "gongkai.core.db_router.ReplicaReadsMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 default, adopted now

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "gongkai_cache",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# With Redis the cache (page fragments, rate limits) leaves the database; sessions are read from Redis but
# still written through to the database, so a Redis restart logs nobody out. Every app server must use the
# same Redis: a per-process cache would serve one server's stale pages after another server's write.
_redis_url = os.environ.get("REDIS_URL", "").strip()
if _redis_url:
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff accounts lock after repeated failures, whichever way they were tried (password form, admin, second factor,
# single sign-on, API token: gongkai/accounts/lockout.py); per account, so that changing address does not help.
AXES_FAILURE_LIMIT = int(os.environ.get("GONGKAI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("GONGKAI_LOCKOUT_MINUTES", "30")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for the address among the lock-out parameters; here the address is rate limited instead
# (LOGIN_RATE_LIMITS below), so that one office behind one address is never locked out by a single colleague.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "workspace/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False



def _sso_providers() -> dict[str, dict[str, str]]:
    """Single sign-on for staff beside local accounts (gongkai/accounts/): an OpenID Connect provider when
    GONGKAI_OIDC_ISSUER is set, a CAS server when GONGKAI_CAS_SERVER_URL is. Each maps its user to an existing
    account by one claim (attribute) compared with the account's username or e-mail; it never creates one."""

    def required(name: str) -> str:
        value = os.environ.get(name, "").strip()
        if not value:
            raise ValueError(f"{name} must be set when single sign-on is configured")
        return value

    def account_field(name: str) -> str:
        value = os.environ.get(name, "username").strip() or "username"
        if value not in {"username", "email"}:
            raise ValueError(f"{name} must be 'username' or 'email', not {value!r}")
        return value

    providers: dict[str, dict[str, str]] = {}
    issuer = os.environ.get("GONGKAI_OIDC_ISSUER", "").strip()
    if issuer:
        providers["oidc"] = {
            "protocol": "oidc",
            "label": os.environ.get("GONGKAI_OIDC_LABEL", "").strip() or gettext_noop("统一身份认证"),
            "issuer": issuer,
            "discovery_url": os.environ.get("GONGKAI_OIDC_DISCOVERY_URL", "").strip(),
            "client_id": required("GONGKAI_OIDC_CLIENT_ID"),
            "client_secret": required("GONGKAI_OIDC_CLIENT_SECRET"),
            "scopes": os.environ.get("GONGKAI_OIDC_SCOPES", "").strip() or "openid profile email",
            "claim": os.environ.get("GONGKAI_OIDC_CLAIM", "").strip() or "preferred_username",
            "account_field": account_field("GONGKAI_OIDC_ACCOUNT_FIELD"),
        }
    cas_server = os.environ.get("GONGKAI_CAS_SERVER_URL", "").strip()
    if cas_server:
        version = os.environ.get("GONGKAI_CAS_VERSION", "3").strip() or "3"
        if version not in {"2", "3"}:
            raise ValueError(f"GONGKAI_CAS_VERSION must be 2 or 3, not {version!r}")
        providers["cas"] = {
            "protocol": "cas",
            "label": os.environ.get("GONGKAI_CAS_LABEL", "").strip() or gettext_noop("CAS统一身份认证"),
            "server_url": cas_server.rstrip("/") + "/",
            "version": version,
            "claim": os.environ.get("GONGKAI_CAS_ATTRIBUTE", "").strip(),
            "account_field": account_field("GONGKAI_CAS_ACCOUNT_FIELD"),
        }
    return providers


SSO_PROVIDERS = _sso_providers()

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gongkai.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "gongkai.accounts.passwords.ReuseValidator"},
]
# The 等保 level-2 baseline for staff accounts (gongkai/accounts/): two factors for roles that review, sign or
# administer (GONGKAI_TWO_FACTOR=optional lifts that, for a test installation only); sessions end after
# GONGKAI_SESSION_IDLE_MINUTES without a request and GONGKAI_SESSION_MAX_HOURS after login; the last
# GONGKAI_PASSWORD_HISTORY passwords may not be chosen again.
TWO_FACTOR_REQUIRED = os.environ.get("GONGKAI_TWO_FACTOR", "required").strip().lower() != "optional"
SESSION_IDLE_SECONDS = int(float(os.environ.get("GONGKAI_SESSION_IDLE_MINUTES", "30")) * 60)
SESSION_ABSOLUTE_SECONDS = int(float(os.environ.get("GONGKAI_SESSION_MAX_HOURS", "10")) * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
PASSWORD_HISTORY = int(os.environ.get("GONGKAI_PASSWORD_HISTORY", "5"))
OTP_TOTP_ISSUER = "gongkai"
# Staff logins per address (all accounts together), on top of the per-account lock-out.
LOGIN_RATE_LIMITS = [(30, 600), (200, 86400)]
LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "portal:home"

# UI text is written in Simplified Chinese and marked for translation; Chinese is the source language and the
# default. An operator offers more languages, each a catalogue under locale/ (docs/operator-guide.md), by listing
# their codes in GONGKAI_LANGUAGES (e.g. "en"); LocaleMiddleware then follows the browser's Accept-Language.
# Each language is named in itself, as a language menu shows it.
LANGUAGE_CODE = "zh-hans"
__i18n_exempt__ = ("_languages",)


def _languages() -> list[tuple[str, str]]:
    from django.conf.locale import LANG_INFO

    offered = [("zh-hans", "简体中文")]
    for code in os.environ.get("GONGKAI_LANGUAGES", "").replace(" ", "").lower().split(","):
        if not code or code == "zh-hans":
            continue
        if code not in LANG_INFO or "name_local" not in LANG_INFO[code]:
            raise ValueError(f"GONGKAI_LANGUAGES: {code!r} is not a language code Django knows (e.g. en, ug, bo)")
        offered.append((code, LANG_INFO[code]["name_local"]))
    return offered


LANGUAGES = _languages()
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES: dict[str, dict[str, Any]] = {  # Any: the S3 back end below takes options
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded attachments must be visible to every app server: one shared bucket instead of each server's disk.
# Private by default (no public ACL, signed URLs), and an upload never replaces a file of the same name.
_storage = os.environ.get("GONGKAI_STORAGE", "").strip().lower()
if _storage == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["GONGKAI_S3_BUCKET"],
            "endpoint_url": os.environ.get("GONGKAI_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("GONGKAI_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("GONGKAI_S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("GONGKAI_S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif _storage not in {"", "file", "filesystem"}:
    raise ValueError(f"GONGKAI_STORAGE must be 's3' or unset, not {_storage!r}")

MAX_UPLOAD_BYTES = int(float(os.environ.get("GONGKAI_MAX_UPLOAD_MB", "20")) * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 200  # a supervisor's batch of published reports to audit (reports.services)

# Mail leaves through the background worker (core/mail.py). SMTP when GONGKAI_SMTP_HOST is set; otherwise it is
# printed by the worker with personal data and tracking secrets masked (Django's own console back end, if named,
# is replaced by that masking one: it would print them in full).
_MASKED_CONSOLE = "gongkai.core.mail.ConsoleBackend"
EMAIL_BACKEND = os.environ.get("GONGKAI_EMAIL_BACKEND", "").strip() or (
    "django.core.mail.backends.smtp.EmailBackend" if os.environ.get("GONGKAI_SMTP_HOST") else _MASKED_CONSOLE
)
if EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
    EMAIL_BACKEND = _MASKED_CONSOLE
EMAIL_HOST = os.environ.get("GONGKAI_SMTP_HOST", "localhost")
EMAIL_USE_SSL = _env_bool("GONGKAI_SMTP_SSL")
EMAIL_USE_TLS = _env_bool("GONGKAI_SMTP_TLS") and not EMAIL_USE_SSL
EMAIL_PORT = int(os.environ.get("GONGKAI_SMTP_PORT") or (465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25))
EMAIL_HOST_USER = os.environ.get("GONGKAI_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GONGKAI_SMTP_PASSWORD", "")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_FROM_EMAIL", "gongkai@localhost")

# /readyz (core/readiness.py) fails when no periodic job has run for this long: the worker is down or stuck.
READY_WORKER_MAX_AGE_SECONDS = int(os.environ.get("GONGKAI_READY_WORKER_MAX_AGE", "300"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("GONGKAI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
# HTTPS is declared by a https:// site address or secure cookies; then every answer carries HSTS (browsers ignore
# it over plain HTTP, so it is safe to send through a TLS-terminating proxy too) and the CSP upgrades requests.
HTTPS_DECLARED = SITE_URL.startswith("https://") or _env_bool("GONGKAI_SECURE_COOKIES")
HSTS_SECONDS = int(os.environ.get("GONGKAI_HSTS_SECONDS", "31536000")) if HTTPS_DECLARED else 0
HSTS_INCLUDE_SUBDOMAINS = _env_bool("GONGKAI_HSTS_INCLUDE_SUBDOMAINS")
# A strict Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site only, no inline
# script or style, no plugins, no framing by other sites. A page that needs an inline script gets a nonce
# (`request.csp_nonce`); standalone HTML documents declare their one style block by hash (core/documents.py).
# GONGKAI_CSP_IMG_SOURCES adds image sources (e.g. the host of an external 党政机关 mark image).
_csp_img = ["'self'", "data:", *(s.strip() for s in os.environ.get("GONGKAI_CSP_IMG_SOURCES", "").split(",") if s.strip())]
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": _csp_img,
        "font-src": ["'self'"],
        # data: lets the rich-text editor read a pasted picture's bytes to upload them (nothing leaves the page).
        "connect-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-src": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
        **({"upgrade-insecure-requests": True} if HTTPS_DECLARED else {}),
    },
}
# Browser features no page of the site uses, switched off for it and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(self), "
    "geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), "
    "xr-spatial-tracking=(), browsing-topics=()"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("GONGKAI_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if _env_bool("GONGKAI_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "gongkai.core.masking.PersonalDataLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"], "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
# GONGKAI_LOG_FILE: also write the log to this file (masked alike), reopened when logrotate moves it; the
# operator guide's logrotate file keeps it for the six months 网络安全法 article 21 asks (deploy/logrotate/).
_log_file = os.environ.get("GONGKAI_LOG_FILE", "").strip()
if _log_file:
    LOGGING["handlers"]["file"] = {  # type: ignore[index]
        "class": "logging.handlers.WatchedFileHandler", "filename": _log_file, "filters": ["mask_personal_data"],
        "formatter": "plain", "encoding": "utf-8",
    }
    LOGGING["root"]["handlers"].append("file")  # type: ignore[index]

# Public page cache (gongkai/portal/page_cache.py): whole anonymous portal pages, per process, keyed by the
# publication generation read from the database on each request, so every app server sees a publication at once.
# GONGKAI_PAGE_CACHE_SECONDS bounds an entry's life (scheduled publications go live without a write); 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("GONGKAI_PAGE_CACHE_SECONDS", "60"))
# Innermost, so that security headers, CSRF, sessions and the replica router still run around cached pages.
MIDDLEWARE.append("gongkai.portal.page_cache.PublicPageCacheMiddleware")

# Fonts of generated documents (core/typography.py), each an ordered list: GONGKAI_FONTS_TITLE, _BODY, _HEADING,
# _KAI, _SONG, comma-separated, put installed official fonts (方正小标宋, 仿宋_GB2312, …) first.
DOCUMENT_FONTS = {
    role: [name.strip() for name in os.environ[f"GONGKAI_FONTS_{role.upper()}"].split(",") if name.strip()]
    for role in ("title", "body", "heading", "kai", "song") if os.environ.get(f"GONGKAI_FONTS_{role.upper()}")
}

# Report formats added as data files (docs/report-formats.md): directories of *.json, separated by os.pathsep.
REPORT_FORMAT_DIRS = [d for d in os.environ.get("GONGKAI_REPORT_FORMAT_DIRS", "").split(os.pathsep) if d.strip()]

# Visit statistics (gongkai/visits/): public page views counted at the server, cached pages included, just outside
# the page cache; no cookie, no script, addresses only in a daily salted hash. Each process buffers its counts in
# memory and writes them every GONGKAI_VISITS_FLUSH_SECONDS; GONGKAI_VISITS=0 turns counting off.
VISITS_ENABLED = _env_bool("GONGKAI_VISITS", default=True)
VISITS_FLUSH_SECONDS = float(os.environ.get("GONGKAI_VISITS_FLUSH_SECONDS", "10"))
MIDDLEWARE.insert(MIDDLEWARE.index("gongkai.portal.page_cache.PublicPageCacheMiddleware"),
                  "gongkai.visits.middleware.VisitCountingMiddleware")
