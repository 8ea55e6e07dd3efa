"""Settings shared by every environment. Everything that varies comes from the environment."""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from . import engines

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789abcdef")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "apprenticeship",
    "lycee_aid",
    "bts_fees",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body (CSRF, the form parser): an oversized request is refused (413).
    "core.middleware.RequestBodyLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store on every page seen signed in, every PDF and every export.
    "core.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Officers and administrators must confirm a second factor (TOTP) when OTP_REQUIRED is on.
    "core.middleware.SecondFactorRequiredMiddleware",
    # Every view needs a signed-in user unless decorated with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last of the auth-related middleware, as django-axes asks.
    "axes.middleware.AxesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
                "core.context_processors.navigation",
            ],
        },
    },
]

# SQLite under var/ by default; PostgreSQL (production) through DATABASE_URL, with its statement
# timeout and optional connection pool (config/settings/engines.py, README "Deployment").
DATABASES = {
    "default": engines.database(
        env, default_url=f"sqlite:///{VAR_DIR / 'bareme.sqlite3'}", web=engines.is_web_process()
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# django-axes first: it refuses a locked-out username + IP pair before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [
    ["username", "ip_address"]
]  # by username *and* address: a lockout by address alone would lock out everyone behind one proxy
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind N reverse proxies, the client address is the N-th from the right of X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env.int("PROXY_COUNT", default=0) else ["REMOTE_ADDR"]
)

# Second factor (django-otp, TOTP) for officers and administrators. On by default in production;
# off in development so that the demo accounts sign in with their password only.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=False)
# Lifetime of a personal API key, in days: officers' and administrators' keys (accounts with a
# second factor) end sooner.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=365)
API_TOKEN_DAYS_SECOND_FACTOR = env.int("API_TOKEN_DAYS_SECOND_FACTOR", default=30)
OTP_TOTP_ISSUER = "Barème"
# How long an enrolment link issued by an administrator stays valid (seconds).
OTP_ENROL_LINK_MAX_AGE = env.int("OTP_ENROL_LINK_MAX_AGE", default=72 * 3600)

# Content Security Policy: no inline script without the per-request nonce, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],  # style attributes; htmx's indicator style
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Luxembourg"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages installed by npm at set-up (see package.json), never from a CDN.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
# Private files in MEDIA_ROOT, or an S3-compatible bucket shared by every host (PRIVATE_STORAGE=s3).
STORAGES = engines.storages(env, static_backend="django.contrib.staticfiles.storage.StaticFilesStorage")
WHITENOISE_USE_FINDERS = True

# Uploaded files (attendance sheets, uploads) are private: never served as static media.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "private")
MEDIA_URL = "/private-media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Largest body a request may declare, except on the views marked @accepts_upload(max_bytes).
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

# simple-history's revert form saves an old version whole, past the services' checks, locks and
# journal: history is shown in the admin, never reverted (core.admin.BaremeAdmin refuses the POST too).
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Background jobs (bulk PDFs, large exports): django-tasks with its database backend, run by
# `manage.py db_worker` (bin/run starts one); TASKS_BACKEND=rq with REDIS_URL puts them on Redis,
# run by `manage.py rqworker --job-class django_tasks_rq.Job` (README "Background jobs").
TASKS, RQ_QUEUES, _task_apps = engines.tasks(env)
JOBS_QUEUE = engines.jobs_queue(env)
INSTALLED_APPS += _task_apps
# A job still waiting for a worker after this many seconds says so on its page.
JOB_STALE_AFTER = env.int("JOB_STALE_AFTER", default=120)
# Exports of more rows than this are built by a background job (CSV/XLSX of a filtered list).
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=5000)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# The address of this instance as people reach it, for the links of the e-mail notices.
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")

# The administration that runs this instance: named in the legal notice and the accessibility
# statement, and reached through the contact address of every page's footer.
ORGANISATION_NAME = env("ORGANISATION_NAME", default="Barème — instance de démonstration")
ORGANISATION_ADDRESS = env("ORGANISATION_ADDRESS", default="")
CONTACT_EMAIL = env("CONTACT_EMAIL", default="assistance@bareme.example")

# The authority that issues each scheme's documents: it heads every PDF of the scheme, signs its
# letters (name and function of the signatory) and names the court of its notified decisions.
# Overridden per instance with PDF_ISSUERS, a JSON object {scheme: {key: value}} merged over these.
_PDF_ISSUERS_DEFAULT = {
    "apprenticeship": {
        "name": "Ministère de l'Éducation nationale, de l'Enfance et de la Jeunesse",
        "service": "Service de la formation professionnelle",
        "address": ["29, rue Aldringen", "L-1118 Luxembourg"],
        "city": "Luxembourg",
        "signatory_name": "",
        "signatory_function": "Pour le ministre, le chef du service de la formation professionnelle",
        "appeal": (
            "La présente décision peut faire l'objet d'un recours en annulation devant le tribunal "
            "administratif, à introduire par ministère d'avocat dans les trois mois de sa notification."
        ),
    },
    "lycee_aid": {
        "name": "Région Île-de-France",
        "service": "Pôle Lycées — Aide régionale à l'équipement des élèves",
        "address": ["2, rue Simone Veil", "93400 Saint-Ouen-sur-Seine"],
        "city": "Saint-Ouen-sur-Seine",
        "signatory_name": "",
        "signatory_function": "Pour la présidente du conseil régional et par délégation, le directeur du Pôle Lycées",
        "appeal": (
            "La présente décision peut faire l'objet, dans un délai de deux mois à compter de sa "
            "notification, d'un recours gracieux auprès de la présidente du conseil régional ou d'un "
            "recours contentieux devant le tribunal administratif de Montreuil, 7 rue Catherine Puig, "
            "93100 Montreuil. Le tribunal peut être saisi par l'application Télérecours citoyens "
            "(www.telerecours.fr)."
        ),
    },
    "bts_fees": {
        "name": "Ministère de l'Enseignement supérieur et de la Recherche",
        "service": "Brevet de technicien supérieur — indemnités",
        "address": ["18-20, montée de la Pétrusse", "L-2327 Luxembourg"],
        "city": "Luxembourg",
        "signatory_name": "",
        "signatory_function": "Pour la ministre, le premier conseiller de gouvernement",
        "appeal": (
            "La présente décision peut faire l'objet d'un recours en annulation devant le tribunal "
            "administratif, à introduire par ministère d'avocat dans les trois mois de sa notification."
        ),
    },
    "core": {
        "name": ORGANISATION_NAME,
        "service": "",
        "address": [line for line in ORGANISATION_ADDRESS.split("\n") if line],
        "city": "",
        "signatory_name": "",
        "signatory_function": "",
        "appeal": "",
    },
}
_pdf_issuers_env = env.json("PDF_ISSUERS", default={})
PDF_ISSUERS = {
    scheme: {**values, **_pdf_issuers_env.get(scheme, {})} for scheme, values in _PDF_ISSUERS_DEFAULT.items()
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {"fontTools": {"level": "ERROR"}, "weasyprint": {"level": "ERROR"}},
}

# JSON API (api/): Django REST framework, personal tokens only (no session: a script is not a
# browser, and the pages keep their own CSRF-protected forms). OpenAPI 3 by drf-spectacular; its
# Swagger UI and Redoc are served from drf-spectacular-sidecar's static files, never a CDN.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle", "api.throttling.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env("API_THROTTLE_TOKEN", default="600/min"),
        "anonymous": env("API_THROTTLE_ANONYMOUS", default="120/min"),
    },
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATE_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Barème — API",
    "DESCRIPTION": (
        "Indemnités d'apprentissage (Luxembourg), aide régionale à l'équipement (Île-de-France) et indemnités BTS. "
        "Montants en chaînes à deux décimales, mois au format AAAA-MM. Authentification : "
        "`Authorization: Token <clé>` (clé créée sur la page « Accès à l'API » du compte)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}
