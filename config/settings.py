"""Settings for the CLB LTHTGN management system.

One module, every value from the environment. With no environment at all it runs the
embedded default: SQLite under var/, DEBUG on, suitable for `make run` on a laptop.
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (see README).
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "bootstrap",
    "django_tasks",
    "django_tasks_db",
    "places",
    "clubs",
    "members",
    "funds",
    "reports",
    "life",
    "devdata",
    "sheets",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, except that only a logout clears the cookie (config/sessions.py).
    "config.sessions.SessionMiddlewareKeepingNewerCookie",
    "config.middleware.IgnoreBrowserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A password set by someone else is changed before anything else (clubs/accounts.py).
    "clubs.middleware.PasswordChangeDueMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.db_router.ReplicaForReportsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "clubs.context_processors.user_area",
            ],
        },
    },
]

# The embedded default is a SQLite file; production uses PostgreSQL; `make test` runs the suite on both.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Growing past one machine (README): a streaming read replica for the reports. Report pages (GET) and the
# reports app's models read from it; writes and everything else stay on "default" (config/db_router.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# No JIT compilation on PostgreSQL: a report's aggregates over a province cost just over the planner's
# threshold (jit_above_cost, 100,000) and run in 100–300 ms, of which compiling took 40–150 ms (EXPLAIN
# ANALYZE of the open-loans query of a province report, 1,200 clubs: JIT "Total 121.6 ms" of 646 ms; with
# jit=off 149–358 ms against 359–570 ms with it on) for nothing gained. Nor parallel workers: a report
# with nothing kept already runs its queries side by side, one connection each (reports/side_by_side.py),
# and the workers a query starts besides only took cores from the others (a province of the national data
# 247–254 ms with them, 232–234 without; the country's roll-up 3.47–3.52 s against 3.36–3.38 s; medians of
# runs taken in turn, 2 cores). Added to any options the URL gives.
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = (
            f"{_options.get('options', '')} -c jit=off -c max_parallel_workers_per_gather=0".strip()
        )
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
REPLICA_READ_APPS = {"reports"}
REPLICA_CONTEXT_APPS = {"reports", "life", "funds", "members", "clubs", "places"}
REPLICA_URL_NAMESPACES = {"reports"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str) -> dict:
    """CACHE_URL → a CACHES entry: locmem://, db://table, file:///path, redis://host:6379/0,
    memcached://host:11211 (redis needs the `redis` package, memcached `pymemcache`)."""
    scheme, _, rest = url.partition("://")
    backends = {
        "locmem": ("django.core.cache.backends.locmem.LocMemCache", rest or "default"),
        "db": ("django.core.cache.backends.db.DatabaseCache", rest or "django_cache"),
        "file": ("django.core.cache.backends.filebased.FileBasedCache", rest),
        "redis": ("django.core.cache.backends.redis.RedisCache", url),
        "rediss": ("django.core.cache.backends.redis.RedisCache", url),
        "memcached": ("django.core.cache.backends.memcached.PyMemcacheCache", rest),
    }
    if scheme not in backends:
        raise ImproperlyConfigured(
            f"CACHE_URL: unknown scheme {scheme!r} (locmem, db, file, redis, memcached)."
        )
    backend, location = backends[scheme]
    return {"BACKEND": backend, "LOCATION": location}


# A cache shared by every app server (CACHE_URL=redis://… or db://django_cache); each process's own
# memory by default. Sessions live in the database by default, so any app server behind the load
# balancer finds them; SESSION_ENGINE=django.contrib.sessions.backends.cached_db adds the cache in front.
CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "locmem://"))}
SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")

# History records are read by their row (its id, or the key a change panel names: clubs.templatetags.audit),
# never by date across a table: an index on their dates was only written, by every change and every
# imported row (three records per member).
SIMPLE_HISTORY_DATE_INDEX = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock-out after repeated failed logins (django-axes): 5 failures for one user name from one
# address lock that pair for 30 minutes; a successful login resets the count.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("BEHIND_PROXY", False) else None
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese by default, English switchable by the user (the language form in the navigation bar).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
# dd/mm/yyyy and 1.234.567 in both languages: see config/formats/.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (favicon.ico), served by WhiteNoise: without one, every
# browser's first page logs a 404 in its console and ours.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# Uploaded and generated files (imports, PDFs): MEDIA_ROOT on a volume every app server and worker
# mounts, or S3-compatible object storage when S3_BUCKET is set (needs the `s3` extra: django-storages).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if not os.environ.get("S3_BUCKET")
    else {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
        },
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Spreadsheet imports (sheets/limits.py): uploads a person may start a minute, their jobs running at
# once, and the days an uploaded file is kept (`manage.py clean_imports`, daily from cron).
IMPORT_UPLOADS_PER_MINUTE = int(os.environ.get("IMPORT_UPLOADS_PER_MINUTE", 5))
IMPORT_JOBS_RUNNING_PER_USER = int(os.environ.get("IMPORT_JOBS_RUNNING_PER_USER", 2))
IMPORT_FILES_KEPT_DAYS = int(os.environ.get("IMPORT_FILES_KEPT_DAYS", 30))
# A running import job's lease (sheets/jobs.py): its worker touches it every third of this; a job left
# untouched longer is one whose worker died, shown as failed ("hãy tải tệp lên lại").
IMPORT_JOB_LEASE_SECONDS = int(os.environ.get("IMPORT_JOB_LEASE_SECONDS", 300))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Sessions end after 8 hours of work or when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Production hardening: on whenever DEBUG is off.
SECURE_HTTPS = env_bool("SECURE_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
# SECURE_SSL_REDIRECT=0 behind the reverse proxy (BEHIND_PROXY=1) means the proxy redirects plain HTTP to
# HTTPS, so Django's reminder to redirect (security.W008) does not apply. Without a proxy it still warns.
SILENCED_SYSTEM_CHECKS = (
    ["security.W008"] if SECURE_HTTPS and not SECURE_SSL_REDIRECT and env_bool("BEHIND_PROXY", False) else []
)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Background jobs (spreadsheet imports) run on django-tasks. With no worker configured they run
# at once in the request (the embedded default); production sets TASKS_BACKEND=database and runs
# `manage.py db_worker`.
# Worker processes per worker machine for `manage.py run_workers` (README "Growing past one machine").
WORKER_COUNT = int(os.environ.get("WORKER_COUNT", "2"))
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if os.environ.get("TASKS_BACKEND") == "database"
        else "django_tasks.backends.immediate.ImmediateBackend",
    }
}

# Content-Security-Policy (django-csp): scripts only from our own static files, no inline
# script; inline style attributes are allowed because server-rendered SVG charts use them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Domain settings an admin may need to change per deployment.
OLDER_PERSON_AGE = 60  # Luật Người cao tuổi 2009
# A home-care beneficiary not visited for this many weeks is listed as overdue a visit.
CARE_VISIT_OVERDUE_WEEKS = int(os.environ.get("CARE_VISIT_OVERDUE_WEEKS", "2"))
# Reports reuse each club's figures until the club's data changes (reports/club_figures.py; PostgreSQL).
REPORT_FIGURES_KEPT = env_bool("REPORT_FIGURES_KEPT", True)
# A report's independent queries run side by side on connections of their own (reports/side_by_side.py;
# PostgreSQL, outside a transaction): up to three connections per report being computed.
REPORT_QUERIES_SIDE_BY_SIDE = env_bool("REPORT_QUERIES_SIDE_BY_SIDE", True)
# The reporting cycle (reports/periods.py): a commune's report is due this many days after its period
# ends, per period kind; the province's compiled report this many; a report may be submitted from this
# many days before the period's end.
REPORT_DEADLINE_DAYS = {"quarter": 15, "half": 15, "year": 15}
REPORT_PROVINCE_DEADLINE_DAYS = {"quarter": 30, "half": 30, "year": 30}
REPORT_SUBMIT_WINDOW_DAYS = int(os.environ.get("REPORT_SUBMIT_WINDOW_DAYS", "10"))

# Every handler writes through RedactPersonalData: citizen IDs and phone numbers that reach a log
# record (a database error naming a duplicate key, SQL at DEBUG) are hidden (config/log_filters.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_personal_data": {"()": "config.log_filters.RedactPersonalData"}},
    "formatters": {
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_personal_data"]},
        "server": {
            "class": "logging.StreamHandler",
            "formatter": "server",
            "filters": ["redact_personal_data"],
        },
    },
    "loggers": {
        # Django's own console handler would write django.* records unfiltered: they go to the root's.
        "django": {"handlers": []},
        # runserver's request lines carry query strings (a member search by citizen ID).
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
