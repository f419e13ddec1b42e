"""Settings for SIGOBito Comunidad.

Everything that differs between machines comes from environment variables (listed in the
README). The development runner (`./dev`) resolves the database and broker before Django
starts and exports them, so that importing settings never probes the network.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    testing = os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".settings.test")
    if not (DEBUG or testing or env_bool("SIGOBITO_ALLOW_INSECURE_KEY", False)):
        raise RuntimeError("SECRET_KEY must be set (or DEBUG=1 for development).")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

# The platform's own domain: the public portal answers on it, municipalities on
# `<slug>.<PLATFORM_DOMAIN>`. `localhost` works in development because browsers resolve
# `*.localhost` to the loopback address.
PLATFORM_DOMAIN = os.environ.get("PLATFORM_DOMAIN", "localhost").lower()
PUBLIC_HOSTS = [PLATFORM_DOMAIN, *env_list("PUBLIC_HOSTS", "127.0.0.1")]
ALLOWED_HOSTS = [*PUBLIC_HOSTS, f".{PLATFORM_DOMAIN}", *env_list("ALLOWED_HOSTS")]
# Port shown in links built outside a request (emails sent by the worker, printed URLs).
PLATFORM_PORT = os.environ.get("PLATFORM_PORT", "")
PLATFORM_SCHEME = os.environ.get("PLATFORM_SCHEME", "http" if DEBUG else "https")

# --- Applications -------------------------------------------------------------------------
# Public schema: tenancy, accounts, the community layer, SDG alignment, Wagtail.
# django.contrib.auth and contenttypes live here only, on purpose: users are platform-wide
# and one content-type table serves every schema (tenant schemas see it via search_path).
SHARED_APPS = [
    "tenants",  # first: its migrate/migrate_schemas commands also migrate the template
    "django_tenants",
    "tenants.accounts",
    "community",
    "search",
    "ods_alignment",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.postgres",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "wagtail.contrib.forms",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]
# One schema per municipality.
TENANT_APPS = [
    "tenants.workspace",
    "tenants.structure",
    "tenants.initiatives",
    "tenants.agenda",
    "tenants.communications",
    "tenants.dashboard",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Municipality"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# Every new municipality is cloned from this schema; `migrate` keeps it current.
TENANT_TEMPLATE_SCHEMA = "tenant_template"
# Set search_path once per connection and tenant switch, not on every cursor.
TENANT_LIMIT_SET_CALLS = True
PUBLIC_SCHEMA_URLCONF = "sigobito_platform.urls_public"
ROOT_URLCONF = "sigobito_platform.urls_tenant"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tenants.middleware.MunicipalityRoutingMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tenants.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tenants.middleware.WorkspaceAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "platform" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.shell",
            ],
        },
    },
]

WSGI_APPLICATION = "sigobito_platform.wsgi.application"

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/sigobito")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
# Session pooling only: search_path is session state, so a transaction-pooling proxy
# (PgBouncer in transaction mode) would leak one municipality's schema into another's query.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
_cache_backend = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
)
CACHES = {
    # Tenant-aware: keys carry the schema, so one municipality never reads another's entry.
    "default": {**_cache_backend, "KEY_FUNCTION": "django_tenants.cache.make_key"},
    # Platform-wide counters (login rate limits) that must not be split per host.
    "platform": {**_cache_backend, "KEY_PREFIX": "platform"},
}

# --- Celery -------------------------------------------------------------------------------
BROKER_CONFIGURED = bool(os.environ.get("CELERY_BROKER_URL", "") or REDIS_URL)
# Without a broker, tasks run in-process (the development runner says so when it starts).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "") or REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not BROKER_CONFIGURED)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Beat (one replica). Hourly, and each municipality acts at its own local hour (see the task).
CELERY_BEAT_SCHEDULE = {
    "agenda-task-reminders": {
        "task": "agenda.schedule_task_reminders",
        "schedule": crontab(minute=0),
        "kwargs": {"local_hour": 7},
    },
    # Publications whose message was lost (broker down at commit) are sent again.
    "communications-sweep": {"task": "communications.sweep_publications", "schedule": crontab(minute="*/10")},
    # The dashboard's weekly portfolio snapshot: idempotent per cycle week, so an hourly run
    # keeps this week's row current and freezes it when the week ends (tenants/dashboard/tasks.py).
    "dashboard-snapshots": {"task": "dashboard.schedule_snapshots", "schedule": crontab(minute=15)},
    # The mayor's brief by email, on each municipality's cycle day 3 from 07:00 local time,
    # once per week (tenants/dashboard/tasks_brief.py).
    "dashboard-briefs": {"task": "dashboard.schedule_briefs", "schedule": crontab(minute=5)},
    # The community relay runs on every shared write (enqueued on commit); this sweep catches
    # what a lost message or a broker outage left in the outboxes, and re-sends to the search
    # backend what it could not take (community/tasks.py).
    "community-relay-sweep": {"task": "community.relay_sweep", "schedule": crontab(minute="*")},
    # Traffic lights move with time too: shared initiatives whose light moved are sent again.
    "initiatives-light-refresh": {"task": "initiatives.schedule_light_refresh", "schedule": crontab(minute=20)},
    # SDG specialists whose alignment is due within two days or late, every morning.
    "ods-alignment-reminders": {"task": "ods_alignment.send_reminders", "schedule": crontab(minute=0, hour=12)},
    # Common themes and shared problems across municipalities, every night (community/detection).
    "community-detect": {"task": "community.detect", "schedule": crontab(minute=30, hour=3)},
}
# Search: PostgreSQL full-text by default; Elasticsearch (through elasticsearch.dsl) when an
# address is given. The PostgreSQL index is kept either way, so search falls back to it while
# Elasticsearch is unreachable.
# Outbox events the relay applies per transaction (a killed worker redoes at most one batch).
COMMUNITY_RELAY_BATCH = int(os.environ.get("COMMUNITY_RELAY_BATCH", "200"))
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX = os.environ.get("ELASTICSEARCH_INDEX", "sigobito-community")
ELASTICSEARCH_TIMEOUT = float(os.environ.get("ELASTICSEARCH_TIMEOUT", "5"))
# Channel credentials: Fernet keys, comma-separated, the first encrypts (rotation). Without
# them the key is derived from SECRET_KEY (tenants/communications/crypto.py).
CREDENTIALS_KEYS = os.environ.get("CREDENTIALS_KEYS", "")
# Publishing to outbound channels: attempts before giving up, first backoff in seconds
# (doubling each time; a 429's Retry-After wins when longer).
COMMUNICATIONS_MAX_ATTEMPTS = int(os.environ.get("COMMUNICATIONS_MAX_ATTEMPTS", "5"))
COMMUNICATIONS_RETRY_SECONDS = float(os.environ.get("COMMUNICATIONS_RETRY_SECONDS", "30"))
# Channels send where their address says. Off (the default), Facebook and X use their own
# APIs only and a webhook must be a public https service (never this server or a private
# network); on, any address is accepted (development, or tests against a local fake). DEBUG
# allows it too.
COMMUNICATIONS_ALLOW_CUSTOM_ENDPOINTS = env_bool("COMMUNICATIONS_ALLOW_CUSTOM_ENDPOINTS", False)
# The dashboard's map: a tile server's address template ({z}/{x}/{y}), empty by default (no
# base map: the places' shapes on a plain background, and no request leaves the platform),
# and the attribution its licence requires, written on the map.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins allowed per account, and per client address, in the window before refusal.
# The address limit is higher: many people can share one address (an office, a NAT).
LOGIN_RATE_LIMIT_ATTEMPTS = int(os.environ.get("LOGIN_RATE_LIMIT_ATTEMPTS", "5"))
LOGIN_RATE_LIMIT_ADDRESS_ATTEMPTS = int(os.environ.get("LOGIN_RATE_LIMIT_ADDRESS_ATTEMPTS", "50"))
# Reverse proxies in front of the app (ingress, load balancer) whose X-Forwarded-For entries
# are trusted; the client address is the entry just before them.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
LOGIN_RATE_LIMIT_WINDOW = int(os.environ.get("LOGIN_RATE_LIMIT_WINDOW", "900"))
INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "14"))
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

SESSION_COOKIE_DOMAIN = os.environ.get("SESSION_COOKIE_DOMAIN") or None
CSRF_COOKIE_DOMAIN = SESSION_COOKIE_DOMAIN
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Email --------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SIGOBito Comunidad <no-reply@localhost>")

# --- Internationalisation -----------------------------------------------------------------
# Spanish is the source language; English is complete (tests/test_i18n.py checks it).
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Español")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "sigobito_language"
LANGUAGE_COOKIE_DOMAIN = SESSION_COOKIE_DOMAIN
TIME_ZONE = "America/Panama"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "platform" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes "not logged in" a 401, not a 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Tenant endpoints answer 404 to non-members; public ones say what they allow.
    "DEFAULT_PERMISSION_CLASSES": ["tenants.permissions.IsWorkspaceMember"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "tenants.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SIGOBito Comunidad API",
    "DESCRIPTION": "API of the platform (public domain) and of each municipal workspace.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["sigobito_platform.openapi.only_api_paths"],
}

# --- Wagtail (public schema only) ---------------------------------------------------------
WAGTAIL_SITE_NAME = "SIGOBito Comunidad"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"http://{PLATFORM_DOMAIN}")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_LOGIN_URL = "/cuenta/entrar/"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
