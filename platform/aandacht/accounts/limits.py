"""Rate limits on login steps, per client address and tenant (Flask-Limiter; Redis when configured).

Per-account lockout (accounts.service) stops guessing one account's password; these limits stop one
address from trying many accounts. When Redis does not answer, the limits are skipped (Flask-Limiter
logs it) rather than refusing every login: the lockout, kept in the database, still holds. This also
keeps one app's dead Redis from breaking another app of the same process (the limiter is shared).
"""

from __future__ import annotations

from flask import Flask, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def _client_in_tenant() -> str:
    tenant = g.get("tenant")
    return f"{tenant.slug if tenant else '-'}:{get_remote_address()}"


limiter = Limiter(key_func=_client_in_tenant)


def init_app(app: Flask, redis_url: str | None) -> None:
    """Count on Redis when it is configured (shared by all web processes), in memory when not."""
    app.config["RATELIMIT_STORAGE_URI"] = redis_url or "memory://"
    app.config["RATELIMIT_HEADERS_ENABLED"] = True
    app.config["RATELIMIT_SWALLOW_ERRORS"] = True
    limiter.init_app(app)
