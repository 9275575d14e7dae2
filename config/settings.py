"""Stride settings: everything a deployer may change comes from the environment.

Each setting is described in docs/configuration.md.
"""

from datetime import timedelta
from pathlib import Path

import environ
from corsheaders.defaults import default_headers as default_cors_headers
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("STRIDE_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

_DEV_SECRET = "django-insecure-stride-development-only"  # noqa: S105 - refused below when DEBUG is off
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_standardized_errors",
    "django_celery_beat",
    "axes",
    "auditlog",
    "corsheaders",
    "common.apps.CommonConfig",
    "clinic",
    "patients",
    "assessments",
    "programs",
    "monitoring",
]

MIDDLEWARE = [
    "common.middleware.RequestIdMiddleware",
    "common.middleware.SecurityHeadersMiddleware",
    "common.middleware.BodySizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# Database: PostgreSQL through DATABASE_URL; without it, SQLite under var/ (the embedded default).
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=600))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        # A database host that does not answer fails a request in seconds (503), not never.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
        )
        # Parameters bound by the server, and each statement a connection has run five times
        # (psycopg's threshold) prepared: PostgreSQL plans it once per connection, not per
        # request (docs/performance.md). Off behind a pooler in transaction mode that does not
        # carry prepared statements across its connections (PgBouncer before 1.21).
        if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
            DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
            DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "stride.sqlite3",
            "OPTIONS": {
                # Web, worker and beat share the file: WAL and immediate transactions keep
                # concurrent writers from failing with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "clinic.StaffUser"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Redis: broker, cache (throttles) and nothing else; without REDIS_URL, Celery's filesystem
# transport and a file cache under var/.
REDIS_URL = env.str("REDIS_URL", default="")
# A local Redis answers in well under a millisecond: these socket timeouts bound what a request
# can lose to one that is hung (docs/reliability.md). A request tries each at most once.
STRIDE_BROKER_TIMEOUT_SECONDS = env.float("STRIDE_BROKER_TIMEOUT_SECONDS", default=0.3)
STRIDE_CACHE_TIMEOUT_SECONDS = env.float("STRIDE_CACHE_TIMEOUT_SECONDS", default=0.2)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "socket_connect_timeout": STRIDE_BROKER_TIMEOUT_SECONDS,
        "socket_timeout": STRIDE_BROKER_TIMEOUT_SECONDS,
        # Publishing makes one attempt, no retry: a request never waits on a broker that is
        # down or hung; the outbox re-drive queues the work once it is back. (A worker's own
        # connection retries without end: CELERY_BROKER_CONNECTION_MAX_RETRIES.)
        "max_retries": 0,
    }
    CACHES = {
        "default": {
            # Fails open: a Redis outage lifts rate limits rather than failing requests.
            "BACKEND": "common.cache.FailOpenRedisCache",
            "LOCATION": env.str("CACHE_URL", default=REDIS_URL),
            "OPTIONS": {
                "socket_connect_timeout": STRIDE_CACHE_TIMEOUT_SECONDS,
                "socket_timeout": STRIDE_CACHE_TIMEOUT_SECONDS,
            },
        }
    }
else:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Beat copies these into the database at start; they are then editable in the admin.
CELERY_BEAT_SCHEDULE = {
    "notifications-redrive-due": {
        "task": "clinic.tasks.notifications_redrive_due",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
    "escalations-escalate-overdue": {
        "task": "patients.tasks.escalations_escalate_overdue",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "idempotency-keys-purge": {
        "task": "patients.tasks.idempotency_keys_purge",
        "schedule": 6 * 3600.0,
    },
    # Caseload summaries whose patient's local date moved on (adherence window); hourly, so
    # every time zone's midnight is caught within the hour.
    "summaries-refresh-stale": {
        "task": "patients.tasks.summaries_refresh_stale",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    "reminders-dispatch-due": {
        "task": "patients.tasks.reminders_dispatch_due",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "engagement-dispatch-due": {
        "task": "patients.tasks.engagement_dispatch_due",
        "schedule": 3600.0,
        "options": {"expires": 3300},
    },
}

# Email: console in development unless EMAIL_URL says otherwise.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = (
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    )
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Stride <no-reply@stride.invalid>")

# Trusted reverse proxies in front of the app, each appending to X-Forwarded-For. 0 (the
# default): the client's address is the TCP peer and X-Forwarded-For is ignored. Raise it only
# when that many proxies of ours always stand in front and the app's port is reachable through
# them alone; otherwise any client sets its own address (docs/security.md). Read by
# common.proxies.client_address for rate limits, the sign-in lockout and the audit trail.
STRIDE_NUM_PROXIES = env.int("STRIDE_NUM_PROXIES", default=0)

# Largest request body the API accepts; larger bodies get 413 in the error shape.
STRIDE_MAX_BODY_BYTES = env.int("STRIDE_MAX_BODY_BYTES", default=64 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = STRIDE_MAX_BODY_BYTES

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["clinic.auth.StaffTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["common.api.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "common.api.CreatedCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["common.filters.StrictFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "common.schema.StrideAutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "login": env.str("STRIDE_THROTTLE_LOGIN", default="20/min"),
        "enroll": env.str("STRIDE_THROTTLE_ENROLL", default="10/min"),
        "enrollment_code": env.str("STRIDE_THROTTLE_ENROLLMENT_CODE", default="30/hour"),
        "check_in": env.str("STRIDE_THROTTLE_CHECK_IN", default="60/min"),
        "message": env.str("STRIDE_THROTTLE_MESSAGE", default="30/hour"),
    },
    # Local times of day (check-in schedule) are read as HH:MM or HH:MM:SS, never with an
    # offset: they are wall-clock times in the patient's own time zone.
    "TIME_INPUT_FORMATS": ["%H:%M", "%H:%M:%S"],
    # DRF's own reading of the client's address; Stride's throttles use common.proxies.
    "NUM_PROXIES": STRIDE_NUM_PROXIES,
    "UNAUTHENTICATED_USER": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

DRF_STANDARDIZED_ERRORS = {
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    # 503 with Retry-After, rather than 500, when the database cannot be reached.
    "EXCEPTION_HANDLER_CLASS": "common.errors.StrideExceptionHandler",
}

REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Bearer",
    "TOKEN_TTL": timedelta(hours=env.int("STRIDE_STAFF_TOKEN_HOURS", default=12)),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 20,
}
STRIDE_PATIENT_TOKEN_DAYS = env.int("STRIDE_PATIENT_TOKEN_DAYS", default=180)
STRIDE_ENROLLMENT_CODE_HOURS = 72

# Sign-in lockout (the API's and the admin's alike): 5 failures for one account from one address
# lock that account for that address for 15 minutes. Keyed on account AND address, so a
# stranger elsewhere cannot lock a therapist out, and one clinic behind a shared address is not
# locked out by a colleague's typos; an address guessing passwords across accounts is stopped
# by the per-address "login" throttle above.
AXES_FAILURE_LIMIT = env.int("STRIDE_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("STRIDE_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The account named by whichever form posts it: `email` (the API) or `username` (Django's
# AuthenticationForm: the admin and any sign-in form built on it).
AXES_USERNAME_CALLABLE = "clinic.auth.login_identifier"
AXES_CLIENT_IP_CALLABLE = "common.proxies.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "clinic.auth.lockout_response"

AUDITLOG_INCLUDE_ALL_MODELS = False

CORS_ALLOWED_ORIGINS = env.list("STRIDE_CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
# A partner's web app sends the Idempotency-Key of a check-in and reads the rate-limit wait,
# the request id and whether an answer was a replay. Bearer tokens, never cookies.
CORS_ALLOW_HEADERS = [*default_cors_headers, "idempotency-key", "x-request-id"]
CORS_EXPOSE_HEADERS = ["retry-after", "x-request-id", "idempotent-replayed"]
CORS_ALLOW_CREDENTIALS = False

_ERRORS = "drf_standardized_errors.openapi_serializers"
SPECTACULAR_SETTINGS = {
    "TITLE": "Stride API",
    "DESCRIPTION": (
        "Stride follows runners with knee pain between clinic visits. Staff endpoints use a "
        "staff token from `/api/v1/auth/login/`; partner-app endpoints under `/api/v1/app/` "
        "use a patient token from `/api/v1/app/enroll/`. Both are sent as "
        "`Authorization: Bearer <token>`. Errors always have the shape "
        '`{"type": ..., "errors": [{"code", "detail", "attr"}]}`. '
        "Stride is decision support, not diagnosis."
    ),
    "VERSION": "1.0.0",
    "LICENSE": {"name": "Proprietary"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One enum component per concept of the clinical vocabulary (`clinical/`), whichever
    # fields carry it.
    "ENUM_NAME_OVERRIDES": {
        "ValidationErrorEnum": f"{_ERRORS}.ValidationErrorEnum.choices",
        "ClientErrorEnum": f"{_ERRORS}.ClientErrorEnum.choices",
        "ServerErrorEnum": f"{_ERRORS}.ServerErrorEnum.choices",
        "ErrorCode401Enum": f"{_ERRORS}.ErrorCode401Enum.choices",
        "AppErrorCode401Enum": "patients.auth.APP_401_CODES",
        "ErrorCode403Enum": f"{_ERRORS}.ErrorCode403Enum.choices",
        "ErrorCode404Enum": f"{_ERRORS}.ErrorCode404Enum.choices",
        "ErrorCode405Enum": f"{_ERRORS}.ErrorCode405Enum.choices",
        "ErrorCode406Enum": f"{_ERRORS}.ErrorCode406Enum.choices",
        "ErrorCode415Enum": f"{_ERRORS}.ErrorCode415Enum.choices",
        "ErrorCode429Enum": f"{_ERRORS}.ErrorCode429Enum.choices",
        "ErrorCode500Enum": f"{_ERRORS}.ErrorCode500Enum.choices",
        "PatientStatusEnum": "patients.models.PatientStatus.choices",
        "SeverityEnum": "clinical.severity.Severity.choices",
        "SymptomsEnum": "clinical.symptoms.Symptom.choices",
        "SymptomGroupEnum": "clinical.symptoms.SymptomGroup.choices",
        "AdviceLevelEnum": "clinical.advice.AdviceLevel.choices",
        "InstrumentEnum": "clinical.measures.Instrument.choices",
        "AppInstrumentEnum": "assessments.serializers.APP_INSTRUMENT_CHOICES",
        "TriageLevelEnum": "clinical.intake.TriageLevel.choices",
        "TriageReasonCodeEnum": "clinical.intake.TriageReasonCode.choices",
        "LocationEnum": "clinical.intake.Location.choices",
        "TimingEnum": "clinical.intake.Timing.choices",
        "AggravatorsEnum": "clinical.intake.Aggravator.choices",
        "RecentChangesEnum": "clinical.intake.RecentChange.choices",
        "FindingsEnum": "clinical.intake.Finding.choices",
        "FactorCodeEnum": "clinical.intake.FactorCode.choices",
        "QuestionnaireSourceEnum": "assessments.models.QuestionnaireSource.choices",
        "ServiceStateEnum": [("ok", "ok"), ("unavailable", "unavailable")],
        "StaffRoleEnum": "clinic.models.StaffRole.choices",
        "ExerciseKindEnum": "programs.models.ExerciseKind.choices",
        "BodyRegionEnum": "programs.models.BodyRegion.choices",
        "ProgramFocusEnum": "clinical.programs.ProgramFocus.choices",
        "KneePatternEnum": "clinical.patterns.KneePattern.choices",
        "LadderEventKindEnum": "programs.models.LadderEventKind.choices",
        "LadderActionEnum": "clinical.ladder.LadderAction.choices",
        "LadderPauseReasonEnum": "clinical.ladder.PauseReason.choices",
        "CheckInRuleEnum": "clinical.escalations.CHECK_IN_RULE_CHOICES",
        "EscalationCodeEnum": "clinical.escalations.ESCALATION_CODE_CHOICES",
        "RunPlanReasonEnum": "programs.rules.RUN_PLAN_REASON_CODES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        "common.schema.postprocess_nullable_refs",
        "common.schema.postprocess_request_defaults",
        "common.error_codes.postprocess_error_codes",
    ],
    "TAGS": [
        {"name": "auth", "description": "Staff sign-in and sign-out."},
        {"name": "clinic", "description": "The caller's clinic, its staff and audit log."},
        {"name": "patients", "description": "Patients and their enrollment in the partner app."},
        {
            "name": "assessments",
            "description": "Intake assessments with triage, and outcome measures.",
        },
        {
            "name": "programs",
            "description": "Exercise library, program templates, patient programs, run ladders.",
        },
        {
            "name": "partner-app",
            "description": "Endpoints for the partner mobile app (patient token).",
        },
        {"name": "health", "description": "Service health."},
    ],
}

# Production hardening: on whenever DEBUG is off; each can be relaxed behind a TLS proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy, Permissions-Policy and Cache-Control: no-store for the API:
# common.middleware.SecurityHeadersMiddleware.

# Logs: one JSON object per line on stderr (common/logging.py), each with the request id;
# STRIDE_LOG_FORMAT=plain for a terminal. No PHI, tokens or secrets: the request log names the
# method, path and status only, and the loggers below that would say more are held back.
STRIDE_LOG_FORMAT = env.str("STRIDE_LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "common.middleware.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "common.logging.JsonFormatter"},
        "plain": {"()": "common.logging.PlainFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain" if STRIDE_LOG_FORMAT == "plain" else "json",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("STRIDE_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's defaults give `django` and `django.server` console handlers of their own
        # (plain logging.Formatter: a traceback with its exception's message, which may quote
        # a value) when DEBUG is on. Naming them here drops those handlers: every line goes
        # through the root handler and the formatters above, in every environment.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # Axes logs the attempted username (an email) on failures: keep it quiet.
        "axes": {"level": "WARNING"},
        # SQL with its parameters (names, birth dates) when DEBUG is on: never.
        "django.db.backends": {"level": "INFO"},
        # 4xx lines repeat the request log; runserver's lines carry the query string.
        "django.request": {"level": "ERROR"},
        "django.server": {"handlers": [], "level": "ERROR", "propagate": True},
    },
}

# Celery: JSON only, bounded tasks, queues split by kind (docs/operations.md, "Scaling out").
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "clinic.tasks.*": {"queue": "notifications"},
    "patients.tasks.reminders_*": {"queue": "reminders"},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker waits out a broker outage
CELERY_TASK_ACKS_LATE = True  # every task is idempotent: outbox claims, unique constraints
CELERY_TASK_REJECT_ON_WORKER_LOST = True

# Notification delivery (outbox): lease a claim this long; retry transient failures with
# exponential backoff from this base, up to this many attempts.
STRIDE_DELIVERY_LEASE_SECONDS = env.int("STRIDE_DELIVERY_LEASE_SECONDS", default=120)
STRIDE_DELIVERY_BACKOFF_SECONDS = env.int("STRIDE_DELIVERY_BACKOFF_SECONDS", default=30)
STRIDE_DELIVERY_MAX_ATTEMPTS = env.int("STRIDE_DELIVERY_MAX_ATTEMPTS", default=10)
# /health/ reports notifications "undeliverable" while an escalation event of the last this many
# hours found no person to tell and its escalation is still open (unacknowledged).
STRIDE_UNDELIVERABLE_WINDOW_HOURS = env.int("STRIDE_UNDELIVERABLE_WINDOW_HOURS", default=72)
# A webhook attempt: each socket operation times out after the first, the whole attempt
# (connect, send, status and headers) after the second; a receiver that trickles its answer
# is cut off then, and the attempt counts as a transient failure.
STRIDE_WEBHOOK_TIMEOUT_SECONDS = env.float("STRIDE_WEBHOOK_TIMEOUT_SECONDS", default=10.0)
STRIDE_WEBHOOK_DEADLINE_SECONDS = env.float("STRIDE_WEBHOOK_DEADLINE_SECONDS", default=10.0)
# Rows written in bulk (reminders) are queued this many ids to a message; a worker delivers a
# message's rows one after the other for at most this long, then queues the rest again.
STRIDE_DELIVERY_BATCH_SIZE = env.int("STRIDE_DELIVERY_BATCH_SIZE", default=50)
STRIDE_DELIVERY_BATCH_SECONDS = env.float("STRIDE_DELIVERY_BATCH_SECONDS", default=30.0)

# Reminders and the daily engagement rules (docs/clinical-rules.md): due patients
# are handed to workers this many at a time; a dispatched chunk of reminders is leased this
# long (then dispatched again if its worker died); a reminder more than this late is dropped.
STRIDE_REMINDER_CHUNK_SIZE = env.int("STRIDE_REMINDER_CHUNK_SIZE", default=1000)
STRIDE_REMINDER_LEASE_SECONDS = env.int("STRIDE_REMINDER_LEASE_SECONDS", default=300)
STRIDE_REMINDER_MAX_DELAY_MINUTES = env.int("STRIDE_REMINDER_MAX_DELAY_MINUTES", default=120)
STRIDE_ENGAGEMENT_CHUNK_SIZE = env.int("STRIDE_ENGAGEMENT_CHUNK_SIZE", default=200)
STRIDE_PUBLIC_URL = env.str("STRIDE_PUBLIC_URL", default="http://127.0.0.1:8000")
# The schema names this installation as its server; a partner's client sets its own base URL.
SPECTACULAR_SETTINGS["SERVERS"] = [
    {"url": STRIDE_PUBLIC_URL.rstrip("/"), "description": "This Stride installation."}
]
CELERY_TIMEZONE = "UTC"

# Check-ins: how long a request with a key already in flight waits for the first to finish
# before answering 409, and when an in-flight claim counts as abandoned (its process died).
STRIDE_IDEMPOTENCY_WAIT_SECONDS = env.float("STRIDE_IDEMPOTENCY_WAIT_SECONDS", default=5.0)
STRIDE_IDEMPOTENCY_STALE_SECONDS = env.int("STRIDE_IDEMPOTENCY_STALE_SECONDS", default=60)
STRIDE_IDEMPOTENCY_KEEP_DAYS = env.int("STRIDE_IDEMPOTENCY_KEEP_DAYS", default=8)
STRIDE_CHECK_IN_MAX_FUTURE_MINUTES = 5
STRIDE_CHECK_IN_MAX_AGE_DAYS = 14

# --- The therapist console (/console/) and the API's offline docs --------------------------
# Server-rendered pages over the same services and selectors as the API (docs/console.md).
INSTALLED_APPS += [
    "django_htmx",
    "template_partials",
    "drf_spectacular_sidecar",
    "console",
]
MIDDLEWARE += [
    "django_htmx.middleware.HtmxMiddleware",
    # After AuthenticationMiddleware: signs a console session out after it sat idle.
    "console.middleware.ConsoleIdleTimeoutMiddleware",
]
# Swagger UI and Redoc from drf-spectacular-sidecar: /api/docs/ works with no network.
SPECTACULAR_SETTINGS |= {
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
LOGIN_URL = "console:sign-in"
# A console session is signed out after this long without a request of the therapist's own
# (the caseload's automatic refresh does not count).
STRIDE_CONSOLE_IDLE_SECONDS = env.int("STRIDE_CONSOLE_IDLE_SECONDS", default=30 * 60)
