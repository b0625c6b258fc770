"""Settings, read from environment variables only and validated at start.

Nothing here runs at import time: `load_settings()` is called by the app factory with the environment
it is given, so tests and tools can pass their own mapping.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

ENVIRONMENTS = ("development", "production", "test")
SUPPORTED_DATABASES = ("sqlite", "postgresql")
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"
)


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable and what is wrong."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(self.describe(variable, problem))
        self.variable = variable
        self.problem = problem

    @staticmethod
    def describe(variable: str, problem: str) -> str:
        """The message shown to the operator."""
        return f"Setting {variable} is invalid: {problem}"


class ServiceUnavailable(ConfigError):
    """A configured service does not answer; the setting itself may well be right."""

    @staticmethod
    def describe(variable: str, problem: str) -> str:
        """The message shown to the operator."""
        return f"The service of {variable} is unavailable: {problem}"


@dataclass(frozen=True)
class Settings:
    """The validated settings of one running instance."""

    environment: str
    secret_key: str
    instance_path: Path
    #: What the application connects with (on PostgreSQL a role without BYPASSRLS).
    database_url: URL
    #: What migrations connect with (the owner of the tables); defaults to `database_url`.
    database_admin_url: URL
    #: RQ on this Redis when set; jobs run inline when not.
    redis_url: str | None
    #: `enschede.<base_domain>` resolves to tenant `enschede`; unset: no subdomain resolution.
    base_domain: str | None
    tenants_dir: Path
    outbox_dir: Path
    log_level: str
    log_format: str
    #: The installed npm packages (node_modules) that the app serves: NL Design System CSS, htmx, icons.
    assets_dir: Path
    #: How many reverse proxies (load balancer, TLS terminator) sit in front; their X-Forwarded-* are trusted.
    trusted_proxies: int
    #: Outgoing mail server (smtp://, smtp+starttls://, smtps://); unset: messages go to the outbox folder.
    smtp_url: str | None
    mail_from: str
    #: The public address of the platform, for links in messages that workers send (no request there).
    public_url: str
    #: Base URL of the SMS provider's API (Infobip); unset: text messages go to the outbox folder.
    sms_gateway_url: str | None
    #: The API key of the SMS provider (a tenant's `channels.sms.api_key_env` overrides it).
    sms_api_key: str | None
    #: The sender name or number shown on the phone (a tenant's `channels.sms.sender` overrides it).
    sms_sender: str
    #: Web push (VAPID): the private key (PEM or base64url), its public key for browsers, and the contact.
    vapid_private_key: str | None
    vapid_public_key: str | None
    vapid_subject: str | None
    #: Seconds a hand-off to SMTP, the SMS gateway or a push service may take before it counts as failed.
    send_timeout: float

    @property
    def jobs_inline(self) -> bool:
        """Whether jobs run in the calling process (no Redis configured)."""
        return self.redis_url is None


def load_settings(environ: Mapping[str, str], *, default_root: Path | None = None) -> Settings:
    """Read and validate all settings from `environ`; raise `ConfigError` on the first bad one."""
    root = default_root or Path.cwd()
    environment = _choice(environ, "AANDACHT_ENV", ENVIRONMENTS, "development")
    instance_path = Path(environ.get("AANDACHT_INSTANCE_PATH") or root / "instance").resolve()
    database_url = _database_url(environ, "DATABASE_URL", f"sqlite:///{instance_path / 'aandacht.sqlite'}")
    admin_default = database_url.render_as_string(hide_password=False)
    return Settings(
        environment=environment,
        secret_key=_secret_key(environ, environment, instance_path),
        instance_path=instance_path,
        database_url=database_url,
        database_admin_url=_database_url(environ, "DATABASE_ADMIN_URL", admin_default),
        redis_url=_redis_url(environ),
        base_domain=_base_domain(environ),
        tenants_dir=Path(environ.get("AANDACHT_TENANTS_DIR") or root / "tenants").resolve(),
        outbox_dir=Path(environ.get("AANDACHT_OUTBOX_DIR") or instance_path / "outbox").resolve(),
        log_level=_choice(environ, "LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO", upper=True),
        log_format=_choice(environ, "LOG_FORMAT", ("json", "text"), "json"),
        assets_dir=_assets_dir(environ, root),
        trusted_proxies=_count(environ, "AANDACHT_TRUSTED_PROXIES"),
        smtp_url=_smtp_url(environ),
        mail_from=environ.get("MAIL_FROM") or "Aandacht <noreply@localhost>",
        public_url=_public_url(environ),
        sms_gateway_url=_http_url(environ, "SMS_GATEWAY_URL"),
        sms_api_key=environ.get("SMS_API_KEY") or None,
        sms_sender=environ.get("SMS_SENDER") or "Aandacht",
        **_vapid(environ),
        send_timeout=_seconds(environ, "AANDACHT_SEND_TIMEOUT", 10.0),
    )


def _choice(
    environ: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str, *, upper=False
) -> str:
    value = environ.get(name) or default
    value = value.upper() if upper else value.lower()
    if value not in allowed:
        raise ConfigError(name, f"{value!r} is not one of {', '.join(allowed)}.")
    return value


def _database_url(environ: Mapping[str, str], name: str, default: str) -> URL:
    raw = environ.get(name) or default
    try:
        url = make_url(raw)
    except ArgumentError:
        raise ConfigError(
            name, "not a database URL (expected e.g. postgresql+psycopg://user@host/db)."
        ) from None
    if url.drivername in ("postgres", "postgres+psycopg"):
        url = url.set(drivername="postgresql+psycopg")  # the spelling of many hosting providers
    if url.get_backend_name() not in SUPPORTED_DATABASES:
        raise ConfigError(
            name, f"database {url.get_backend_name()!r} is not supported; use PostgreSQL or SQLite."
        )
    if url.get_backend_name() == "postgresql":
        if not url.database:
            raise ConfigError(name, "names no database.")
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
    return url


def _redis_url(environ: Mapping[str, str]) -> str | None:
    raw = environ.get("REDIS_URL") or None
    if raw and not re.match(r"^(redis|rediss|unix)://", raw):
        raise ConfigError("REDIS_URL", "must start with redis://, rediss:// or unix://.")
    return raw


def _count(environ: Mapping[str, str], name: str) -> int:
    raw = environ.get(name) or "0"
    if not raw.isdigit() or int(raw) > 5:
        raise ConfigError(name, f"{raw!r} is not a number from 0 to 5.")
    return int(raw)


def _assets_dir(environ: Mapping[str, str], root: Path) -> Path:
    """node_modules of the checkout (or AANDACHT_ASSETS_DIR); it must hold the installed packages."""
    checkout = Path(__file__).resolve().parents[2] / "node_modules"
    raw = environ.get("AANDACHT_ASSETS_DIR")
    path = Path(raw).resolve() if raw else checkout if checkout.is_dir() else root / "node_modules"
    if not (path / "@utrecht" / "component-library-css").is_dir():
        raise ConfigError(
            "AANDACHT_ASSETS_DIR", f"no front-end packages in {path}; run 'make install' (npm ci) first."
        )
    return path


def _smtp_url(environ: Mapping[str, str]) -> str | None:
    raw = environ.get("SMTP_URL") or None
    if raw and not re.match(r"^(smtp|smtp\+starttls|smtps)://[^/]+", raw):
        raise ConfigError(
            "SMTP_URL", "must look like smtp://host:25, smtp+starttls://user:pass@host:587 or smtps://…"
        )
    return raw


def _http_url(environ: Mapping[str, str], name: str) -> str | None:
    raw = (environ.get(name) or "").strip().rstrip("/") or None
    if raw and not re.match(r"^https?://[^/\s]+(/\S*)?$", raw):
        raise ConfigError(name, f"{raw!r} is not an http:// or https:// address.")
    return raw


def _public_url(environ: Mapping[str, str]) -> str:
    return _http_url(environ, "AANDACHT_PUBLIC_URL") or "http://127.0.0.1:5000"


def _seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name) or str(default)
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0.1 <= value <= 300:
        raise ConfigError(name, f"{raw!r} is not a number of seconds from 0.1 to 300.")
    return value


def _vapid(environ: Mapping[str, str]) -> dict[str, str | None]:
    """The three VAPID settings: all of them, or none (then there is no web push)."""
    names = {"vapid_private_key": "VAPID_PRIVATE_KEY", "vapid_public_key": "VAPID_PUBLIC_KEY"}
    values: dict[str, str | None] = {key: environ.get(name) or None for key, name in names.items()}
    values["vapid_subject"] = environ.get("VAPID_SUBJECT") or None
    given = [value is not None for value in values.values()]
    if any(given) and not all(given):
        missing = [
            name for key, name in {**names, "vapid_subject": "VAPID_SUBJECT"}.items() if not values[key]
        ]
        raise ConfigError(missing[0], "web push needs VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY and VAPID_SUBJECT.")
    subject = values["vapid_subject"]
    if subject and not re.match(r"^(mailto:\S+@\S+|https://\S+)$", subject):
        raise ConfigError("VAPID_SUBJECT", "must be a mailto: or https:// address of the operator.")
    return values


def _base_domain(environ: Mapping[str, str]) -> str | None:
    raw = (environ.get("AANDACHT_BASE_DOMAIN") or "").strip().lower() or None
    if raw and not _HOSTNAME.match(raw):
        raise ConfigError("AANDACHT_BASE_DOMAIN", f"{raw!r} is not a host name.")
    return raw


def _secret_key(environ: Mapping[str, str], environment: str, instance_path: Path) -> str:
    """Use SECRET_KEY; outside production, make one once and keep it in the instance folder."""
    key = environ.get("SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ConfigError("SECRET_KEY", "must be at least 32 characters long.")
        return key
    if environment == "production":
        raise ConfigError("SECRET_KEY", "is required in production (at least 32 random characters).")
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
