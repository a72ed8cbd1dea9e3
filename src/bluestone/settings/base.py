"""Settings shared by every deployment. Values that differ come from the environment."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

# A force may keep its settings in a file of KEY=value lines named by BLUESTONE_ENV_FILE (for example
# one readable only by the service's account); a variable set in the environment itself wins.
_ENV_FILE = os.environ.get("BLUESTONE_ENV_FILE", "")
if _ENV_FILE:
    if not Path(_ENV_FILE).is_file():
        raise ImproperlyConfigured(f"BLUESTONE_ENV_FILE names {_ENV_FILE}, which is not a readable file.")
    load_dotenv(_ENV_FILE, override=False)

BASE_DIR = Path(__file__).resolve().parent.parent
# The project's working folder (SQLite database, demo data); relative to the current directory
# so that a checkout works wherever it lives.
VAR_DIR = Path(os.environ.get("BLUESTONE_VAR_DIR", "var")).resolve()


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, *, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_pairs(name: str, *, default: dict[str, str]) -> dict[str, str]:
    """`key=value` pairs, comma-separated: "Bluestone Investigators=investigator,Bluestone Auditors=auditor"."""
    value = os.environ.get(name)
    if value is None:
        return default
    pairs: dict[str, str] = {}
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        key, sep, mapped = item.rpartition("=")
        if not sep or not key.strip() or not mapped.strip():
            raise ImproperlyConfigured(f"{name} must be name=value pairs, comma-separated; {item!r} is not.")
        pairs[key.strip()] = mapped.strip()
    return pairs


def env_weights(name: str, value: str) -> dict[str, float]:
    """`part=weight` pairs, comma-separated: "seriousness=2,recency=1.5"."""
    weights: dict[str, float] = {}
    for item in (part.strip() for part in value.split(",")):
        key, sep, number = item.partition("=")
        try:
            if not sep or not key.strip():
                raise ValueError
            weights[key.strip()] = float(number)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be part=weight pairs, comma-separated; {item!r} is not.") from None
    return weights


SECRET_KEY = os.environ.get("BLUESTONE_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("BLUESTONE_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "bluestone.core",
    "bluestone.accounts",
    "bluestone.cases",
    "bluestone.audit",
    "bluestone.suspects",
    "bluestone.investigation",
    "bluestone.victims",
    "bluestone.evidence",
    "bluestone.portal",
    "bluestone.orchestration",
    "bluestone.insights",
    "bluestone.filereviews",
    "bluestone.administration",
    "bluestone.workforce",
]

MIDDLEWARE = [
    # First: every limit and log entry below reads the client's address from REMOTE_ADDR.
    "bluestone.core.client.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the session limits, which tell the user why they were signed out.
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bluestone.accounts.middleware.SessionLimitsMiddleware",
    # After OTPMiddleware: holds a signed-in user at the security code until it is right.
    "bluestone.accounts.middleware.TwoFactorMiddleware",
    # Break glass is read only: refuses every write to a case under break glass, in any app.
    "bluestone.cases.middleware.BreakGlassReadOnlyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout signalled by its backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bluestone.urls"
WSGI_APPLICATION = "bluestone.wsgi.application"

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
                "bluestone.core.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'bluestone.sqlite3'}"),
        conn_max_age=60,
    )
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's username and password, refused when BLUESTONE_LOCAL_PASSWORDS is off.
    "bluestone.accounts.backends.LocalPasswordBackend",
    # The force's identity provider (OpenID Connect), answering only when BLUESTONE_OIDC_ENABLED is on.
    "bluestone.accounts.sso.SingleSignOnBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "cases:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("BLUESTONE_STATIC_ROOT", "staticfiles")).resolve()
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions: end after 30 minutes without a request (sliding), and after 10 hours whatever happens.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("BLUESTONE_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIMIT_SECONDS = int(os.environ.get("BLUESTONE_SESSION_ABSOLUTE_SECONDS", str(10 * 60 * 60)))

# Lockout after repeated failed sign-ins, per username (not per address: a police station shares one).
AXES_FAILURE_LIMIT = int(os.environ.get("BLUESTONE_SIGN_IN_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("BLUESTONE_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = ["username"]
# django-axes warns when addresses are not locked out; that is deliberate here (see docs/security.md):
# a shared station address locked for everybody would stop a force from working.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Not at the password: the count is reset by accounts when the whole sign-in (password, then any
# security code) succeeds, so that the right password does not clear a run of wrong codes.
AXES_RESET_ON_SUCCESS = False
# Kept out of the failed-attempt records that axes stores.
AXES_SENSITIVE_PARAMETERS = ["code", "csrfmiddlewaretoken"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The client's address as ClientAddressMiddleware settled it (behind a trusted proxy, from its header).
AXES_CLIENT_IP_CALLABLE = "bluestone.core.client.request_client_address"

# A second factor (TOTP) for staff: required in production, optional on a laptop.
BLUESTONE_REQUIRE_TOTP = env_bool("BLUESTONE_REQUIRE_TOTP", default=False)
OTP_TOTP_ISSUER = "Bluestone"

# Local passwords: off when every member of staff signs in through the force's identity provider.
BLUESTONE_LOCAL_PASSWORDS = env_bool("BLUESTONE_LOCAL_PASSWORDS", default=True)

# Single sign-on with OpenID Connect (docs/deployment.md, "Single sign-on"), through
# mozilla-django-oidc, whose own settings (OIDC_*) are filled from BLUESTONE_OIDC_* here. The
# provider's endpoints are given, not discovered, so that a server starts without reaching it.
BLUESTONE_OIDC_ENABLED = env_bool("BLUESTONE_OIDC_ENABLED", default=False)
BLUESTONE_OIDC_ISSUER = os.environ.get("BLUESTONE_OIDC_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("BLUESTONE_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("BLUESTONE_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("BLUESTONE_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("BLUESTONE_OIDC_JWKS_ENDPOINT", "")
# Where sign-out sends the browser so that the provider ends its session too (empty: it does not).
BLUESTONE_OIDC_END_SESSION_ENDPOINT = os.environ.get("BLUESTONE_OIDC_END_SESSION_ENDPOINT", "")
OIDC_RP_CLIENT_ID = os.environ.get("BLUESTONE_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("BLUESTONE_OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("BLUESTONE_OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = os.environ.get("BLUESTONE_OIDC_SIGN_ALGO", "RS256")
# The client authenticates at the token endpoint with HTTP Basic (client_secret_basic), else in the
# form body (client_secret_post).
OIDC_TOKEN_USE_BASIC_AUTH = env_bool("BLUESTONE_OIDC_TOKEN_BASIC_AUTH", default=True)
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
# Kept in the (server-side) session to name the session to end at the provider on sign-out.
OIDC_STORE_ID_TOKEN = True
OIDC_TIMEOUT = env_int("BLUESTONE_OIDC_TIMEOUT_SECONDS", os.environ.get("BLUESTONE_OIDC_TIMEOUT_SECONDS", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso-callback"
# Just-in-time creation: a person the provider vouches for but Bluestone does not know is refused
# unless this is on (and then only with a role from the claims).
OIDC_CREATE_USER = env_bool("BLUESTONE_OIDC_CREATE_USERS", default=False)
# Which claim names the person, and which field of a Bluestone user it is matched with (email or username).
BLUESTONE_OIDC_MATCH_CLAIM = os.environ.get("BLUESTONE_OIDC_MATCH_CLAIM", "email")
BLUESTONE_OIDC_MATCH_FIELD = os.environ.get("BLUESTONE_OIDC_MATCH_FIELD", "email")
# Role and team from the provider (empty: administrators set them in Bluestone): a claim whose
# values are role names or team codes, and groups mapped to a role or a team.
BLUESTONE_OIDC_ROLE_CLAIM = os.environ.get("BLUESTONE_OIDC_ROLE_CLAIM", "")
BLUESTONE_OIDC_TEAM_CLAIM = os.environ.get("BLUESTONE_OIDC_TEAM_CLAIM", "")
BLUESTONE_OIDC_GROUPS_CLAIM = os.environ.get("BLUESTONE_OIDC_GROUPS_CLAIM", "groups")
# The values of accounts.models.Role, which cannot be imported while settings load (a test keeps them equal).
BLUESTONE_ROLE_NAMES = frozenset(
    {
        "investigator",
        "supervisor",
        "analyst",
        "triage",
        "auditor",
        "administrator",
        "sarc_liaison",
        "occupational_health",
    }
)
BLUESTONE_OIDC_GROUP_ROLES = env_pairs("BLUESTONE_OIDC_GROUP_ROLES", default={})
BLUESTONE_OIDC_GROUP_TEAMS = env_pairs("BLUESTONE_OIDC_GROUP_TEAMS", default={})
# Authentication methods (the ID token's `amr`), any one of which the provider must report, such
# as "mfa"; empty: the provider's word that the person signed in is enough.
BLUESTONE_OIDC_REQUIRED_AMR = env_list("BLUESTONE_OIDC_REQUIRED_AMR", default=[])

CSRF_COOKIE_HTTPONLY = True
# Django's own page has inline style, which the Content-Security-Policy refuses.
CSRF_FAILURE_VIEW = "bluestone.accounts.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# No inline script or style anywhere, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if BLUESTONE_OIDC_ENABLED and BLUESTONE_OIDC_END_SESSION_ENDPOINT:
    # Sign-out is a form whose answer sends the browser on to the provider's end-session page, and
    # form-action governs where a form's redirects may go.
    _end_session = urlsplit(BLUESTONE_OIDC_END_SESSION_ENDPOINT)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_end_session.scheme}://{_end_session.netloc}")

SERVICE_NAME = "Bluestone"

# Which surfaces this deployment serves (ARCHITECTURE.md): "staff", "portal", or both (the demo).
# The internet-facing portal server is given "portal" alone and answers no staff route at all.
BLUESTONE_SURFACES = env_list("BLUESTONE_SURFACES", default=["staff", "portal"])

# Background work (docs/adr/0005): django-tasks with its database backend; `bluestone db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The audit log's signing key (docs/security.md, "Signing and checkpoints"): never stored in the
# database. Keys retired by a rotation stay listed (comma-separated) so older entries still verify.
# The checkpoint file is where `bluestone audit checkpoint` appends the signed head of the log: keep
# it where the database's administrators cannot write (empty: no checkpoints).
BLUESTONE_AUDIT_KEY = os.environ.get("BLUESTONE_AUDIT_KEY", "")
BLUESTONE_AUDIT_PREVIOUS_KEYS = env_list("BLUESTONE_AUDIT_PREVIOUS_KEYS", default=[])
BLUESTONE_AUDIT_CHECKPOINT_FILE = os.environ.get("BLUESTONE_AUDIT_CHECKPOINT_FILE", "")

# Need-to-know (docs/security.md). Pseudonyms for analysts are keyed HMACs: a force sets its own key,
# kept apart from SECRET_KEY so that rotating one does not change the other.
BLUESTONE_PSEUDONYM_KEY = os.environ.get("BLUESTONE_PSEUDONYM_KEY", "")
BLUESTONE_BREAK_GLASS_MINUTES = int(os.environ.get("BLUESTONE_BREAK_GLASS_MINUTES", "60"))
BLUESTONE_CASE_NEED_DAYS = int(os.environ.get("BLUESTONE_CASE_NEED_DAYS", "30"))
# Caseload (bluestone.workforce): what each factor adds to a case's weight of 1, and the weighted load
# above which a supervisor is warned before allocating another case.
BLUESTONE_CASELOAD_WEIGHTS = {
    factor: float(os.environ.get(f"BLUESTONE_CASELOAD_WEIGHT_{factor.upper()}", default))
    for factor, default in (
        ("child_victim", "0.5"),
        ("several_victims", "0.5"),
        ("non_recent", "0.25"),
        ("digital_volume", "0.5"),
        ("suspect_police_employee", "0.5"),
    )
}
BLUESTONE_CASELOAD_THRESHOLD = float(os.environ.get("BLUESTONE_CASELOAD_THRESHOLD", "12"))
BLUESTONE_CASELOAD_DIGITAL_REQUESTS = int(os.environ.get("BLUESTONE_CASELOAD_DIGITAL_REQUESTS", "3"))
BLUESTONE_CHECK_IN_INTERVAL_DAYS = int(os.environ.get("BLUESTONE_CHECK_IN_INTERVAL_DAYS", "90"))
BLUESTONE_SCREENING_INTERVAL_DAYS = int(os.environ.get("BLUESTONE_SCREENING_INTERVAL_DAYS", "365"))
BLUESTONE_JUSTIFICATION_MIN_LENGTH = int(os.environ.get("BLUESTONE_JUSTIFICATION_MIN_LENGTH", "20"))
# The figures DOMAIN.md calls configurable. Each app holds its default (see the guides in
# docs/guides/); a force overrides any of them from the environment, in whole numbers.
_WHOLE_NUMBER_SETTINGS = (
    "BLUESTONE_CALLBACK_HOURS",  # online report callback clock (12)
    "BLUESTONE_URGENT_CALLBACK_HOURS",  # ... for an offence in the last 7 days, the forensic window (1)
    "BLUESTONE_CONTACT_CADENCE_DAYS",  # victim contact plan cadence (28)
    "BLUESTONE_PHONE_RETURN_HOURS",  # victim's phone return clock (24)
    "BLUESTONE_REVIEW_INITIAL_HOURS",  # first supervisory review (24)
    "BLUESTONE_REVIEW_INTERVAL_DAYS",  # later supervisory reviews (28)
    "BLUESTONE_SARC_RETENTION_YEARS",  # SARC self-referral samples (2)
    "BLUESTONE_PORTAL_ATTEMPTS",
    "BLUESTONE_PORTAL_CODE_HOURS",
    "BLUESTONE_PORTAL_IDLE_MINUTES",
    "BLUESTONE_PORTAL_LOCKOUT_MINUTES",
    "BLUESTONE_PORTAL_ADDRESS_ATTEMPTS",
    "BLUESTONE_PORTAL_SLOWDOWN_MAX_SECONDS",
    "BLUESTONE_PORTAL_NEW_CODE_MINUTES",
    "BLUESTONE_PORTAL_REPORTS_PER_HOUR",
)
for _name in _WHOLE_NUMBER_SETTINGS:
    if _name in os.environ:
        globals()[_name] = env_int(_name, os.environ[_name])
# Text settings an app reads with its own default when they are not set.
for _name in (
    "BLUESTONE_PORTAL_URL",  # the portal's "Follow my case" sign-in page, as messages link to it
    "BLUESTONE_NOTIFICATION_SENDER",  # dotted path of the class that sends victims' and staff messages
    "BLUESTONE_SMS_GATEWAY",  # dotted path of a text message gateway, for GatewaySender
    "BLUESTONE_OUTBOX_DIR",  # where FileSender writes messages
    "BLUESTONE_CRIME_REFERENCE_PREFIX",  # the letters before a crime reference number
    "BLUESTONE_STAFF_URL",  # the staff service's address, for links in staff emails
):
    if _name in os.environ:
        globals()[_name] = os.environ[_name]
if "BLUESTONE_PRIORITY_WEIGHTS" in os.environ:
    BLUESTONE_PRIORITY_WEIGHTS = env_weights("BLUESTONE_PRIORITY_WEIGHTS", os.environ["BLUESTONE_PRIORITY_WEIGHTS"])
if "BLUESTONE_SARC_WARNING_DAYS" in os.environ:
    BLUESTONE_SARC_WARNING_DAYS = tuple(
        env_int("BLUESTONE_SARC_WARNING_DAYS", day) for day in env_list("BLUESTONE_SARC_WARNING_DAYS", default=[])
    )

# GOV.UK Notify (NotifySender): the API key and the template of each message, by id. Each template
# has one placeholder, ((body)), which receives the fixed text (victims.notifications).
BLUESTONE_NOTIFY_API_KEY = os.environ.get("BLUESTONE_NOTIFY_API_KEY", "")
BLUESTONE_NOTIFY_BASE_URL = os.environ.get("BLUESTONE_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
BLUESTONE_NOTIFY_TEMPLATES = {
    ("sms", "update"): os.environ.get("BLUESTONE_NOTIFY_SMS_UPDATE_TEMPLATE", ""),
    ("sms", "access_code"): os.environ.get("BLUESTONE_NOTIFY_SMS_CODE_TEMPLATE", ""),
    ("email", "update"): os.environ.get("BLUESTONE_NOTIFY_EMAIL_UPDATE_TEMPLATE", ""),
    ("email", "access_code"): os.environ.get("BLUESTONE_NOTIFY_EMAIL_CODE_TEMPLATE", ""),
    ("email", "staff"): os.environ.get("BLUESTONE_NOTIFY_STAFF_TEMPLATE", ""),
}
# The bearer token GOV.UK Notify sends with each delivery status it calls back with (set the same
# value as the service's callback token in Notify). Empty: every callback is refused, and delivery
# statuses come from `bluestone outbox poll` alone.
BLUESTONE_NOTIFY_CALLBACK_TOKEN = os.environ.get("BLUESTONE_NOTIFY_CALLBACK_TOKEN", "")

# Email (staff emails, and victims' emails through GatewaySender): Django's SMTP settings.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "bluestone@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if "BLUESTONE_ENHANCED_RIGHTS_FOR_SEXUAL_OFFENCES" in os.environ:
    BLUESTONE_ENHANCED_RIGHTS_FOR_SEXUAL_OFFENCES = env_bool(
        "BLUESTONE_ENHANCED_RIGHTS_FOR_SEXUAL_OFFENCES", default=True
    )
# Behind a load balancer or reverse proxy (docs/security.md, "The client's address"): the proxies'
# addresses or networks, comma-separated, and the header they set. Empty: no proxy, header ignored.
BLUESTONE_TRUSTED_PROXIES = env_list("BLUESTONE_TRUSTED_PROXIES", default=[])
BLUESTONE_CLIENT_ADDRESS_HEADER = os.environ.get("BLUESTONE_CLIENT_ADDRESS_HEADER", "X-Forwarded-For")
# Where the portal's quick exit ("Exit this page") sends the browser once it has signed out.
BLUESTONE_PORTAL_EXIT_URL = os.environ.get("BLUESTONE_PORTAL_EXIT_URL", "https://www.bbc.co.uk/weather")
# Linkage (docs/linkage.md): the most record pairs one run may score before it stops and names the
# blocking rule and values responsible; DuckDB's memory limit ("4GB"; empty: DuckDB's default, 80% of
# memory); the most records an identity may hold without a person's review; the match probability at
# which every record of an identity of three or more must still hold together (else it is held for review).
BLUESTONE_LINKAGE_MAX_COMPARISONS = int(os.environ.get("BLUESTONE_LINKAGE_MAX_COMPARISONS", "50000000"))
BLUESTONE_LINKAGE_DUCKDB_MEMORY = os.environ.get("BLUESTONE_LINKAGE_DUCKDB_MEMORY", "") or None
BLUESTONE_LINKAGE_MAX_IDENTITY_SIZE = int(os.environ.get("BLUESTONE_LINKAGE_MAX_IDENTITY_SIZE", "12"))
BLUESTONE_LINKAGE_STABLE_THRESHOLD = float(os.environ.get("BLUESTONE_LINKAGE_STABLE_THRESHOLD", "0.99"))
# Page size of case lists.
CASE_LIST_PAGE_SIZE = int(os.environ.get("BLUESTONE_CASE_LIST_PAGE_SIZE", "25"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BLUESTONE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Splink narrates every EM iteration at INFO; a linkage run reports its own progress instead.
        "splink": {"level": "WARNING"},
    },
}
