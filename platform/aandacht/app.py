"""The app factory: the only place that wires the parts of the platform together."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from aandacht import api, cli, db, i18n, jobs, log
from aandacht.accounts import limits, oidc, permissions, sessions
from aandacht.accounts import models as _account_models  # noqa: F401 - registers the account tables
from aandacht.accounts import views as account_views
from aandacht.accounts.csrf import csrf
from aandacht.attention import models as _attention_models  # noqa: F401 - registers the contact moments
from aandacht.attention import report_views
from aandacht.attention import views as worklist_views
from aandacht.config import ConfigError, ServiceUnavailable, Settings, load_settings
from aandacht.conversations import app_views as conversation_views
from aandacht.conversations import models as _conversation_models  # noqa: F401 - registers the conversation tables
from aandacht.conversations import workspace_views as conversation_workspace_views
from aandacht.outreach import app_views as message_views
from aandacht.outreach import (
    campaign_views,
    reports,
    rule_views,
    template_views,
    tracking,
    unsubscribe,
    workspace_views,
)
from aandacht.outreach import events as _outreach_events  # noqa: F401 - connects rules to the engines' hooks
from aandacht.outreach import models as _outreach_models  # noqa: F401 - registers the message table
from aandacht.outreach import views as outbox_views
from aandacht.people import models as _people_models  # noqa: F401 - registers the staff notes
from aandacht.people import views as people_views
from aandacht.personalisation import app_views as feed_views
from aandacht.personalisation import library_views
from aandacht.personalisation import models as _content_models  # noqa: F401 - registers the content tables
from aandacht.personalisation import views as content_views
from aandacht.plugins import discover_domains
from aandacht.privacy import models as _privacy_models  # noqa: F401 - registers the access log
from aandacht.privacy import views as privacy_views
from aandacht.profiles import asks as _profile_asks  # noqa: F401 - registers the ask history table
from aandacht.profiles import cards as profile_cards
from aandacht.profiles import import_views
from aandacht.profiles import models as _profile_models  # noqa: F401 - registers the profile tables
from aandacht.profiles import views as profile_views
from aandacht.research import models as _research_models  # noqa: F401 - registers the outcome table
from aandacht.research import views as outcome_views
from aandacht.segments import service as _segments  # noqa: F401 - registers the segment tables and demand
from aandacht.segments import views as segment_views
from aandacht.tenancy import models as _tenancy_models  # noqa: F401 - registers the tenant tables
from aandacht.tenancy import resolution, scoping
from aandacht.web import assets, caseloads, faces, views
from aandacht.web import staff as staff_pages


def create_app(config: Mapping[str, str] | None = None) -> Flask:
    """Build the application from environment-style settings (`os.environ` when none are given)."""
    settings = load_settings(os.environ if config is None else config)
    log.configure_logging(settings.log_level, settings.log_format)
    app = Flask(
        "aandacht",
        instance_path=str(settings.instance_path),
        root_path=str(Path(__file__).parent),
        static_folder=None,
    )
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.environment == "production",
        # Send the cookie only when the session changed: a slow answer must not overwrite a newer session.
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    app.extensions["aandacht.settings"] = settings
    if settings.trusted_proxies:
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)  # type: ignore[method-assign]
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    settings.outbox_dir.mkdir(parents=True, exist_ok=True)

    db.init_app(app, settings.database_url)
    _check_database(app, settings)
    scoping.install()
    log.init_app(app)
    resolution.init_app(app, settings.base_domain)
    sessions.init_app(app)
    registry = discover_domains()
    registry.init_app(app)
    permissions.init_app(app)
    i18n.init_app(app, registry)
    jobs.init_app(app, settings.redis_url)
    limits.init_app(app, settings.redis_url)
    csrf.init_app(app)
    assets.init_app(app)
    app.register_blueprint(views.blueprint)
    app.register_blueprint(account_views.blueprint)
    app.register_blueprint(outbox_views.blueprint)
    oidc.init_app(app)
    faces.init_app(app)
    app.register_blueprint(staff_pages.blueprint)
    app.register_blueprint(caseloads.blueprint)
    app.register_blueprint(worklist_views.blueprint)
    app.register_blueprint(import_views.blueprint)
    app.register_blueprint(profile_views.blueprint)
    app.register_blueprint(profile_cards.blueprint)
    app.register_blueprint(segment_views.blueprint)
    app.register_blueprint(feed_views.blueprint)
    app.register_blueprint(content_views.blueprint)
    app.register_blueprint(library_views.blueprint)
    app.register_blueprint(message_views.blueprint)
    app.register_blueprint(unsubscribe.blueprint)
    app.register_blueprint(tracking.blueprint)
    app.register_blueprint(reports.blueprint)
    app.register_blueprint(workspace_views.blueprint)
    app.register_blueprint(template_views.blueprint)
    app.register_blueprint(campaign_views.blueprint)
    app.register_blueprint(rule_views.blueprint)
    app.register_blueprint(outcome_views.blueprint)
    app.register_blueprint(people_views.blueprint)
    app.register_blueprint(conversation_views.blueprint)
    app.register_blueprint(conversation_workspace_views.blueprint)
    app.register_blueprint(privacy_views.blueprint)
    app.register_blueprint(report_views.blueprint)
    api.init_app(app)
    app.register_error_handler(HTTPException, views.render_error)
    cli.init_app(app)
    for name, problem in registry.failures.items():
        logging.getLogger("aandacht.plugins").error(
            "domain %s is not loaded: %s", name, problem, extra={"domain": name}
        )
    return app


def _check_database(app: Flask, settings: Settings) -> None:
    """Fail at start when the database does not answer, or when its role would escape row level security."""
    url = settings.database_url
    try:
        with app.extensions["aandacht.db"].engine.connect() as connection:
            if url.get_backend_name() != "postgresql":
                return
            row = connection.execute(
                text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
            ).one()
            leakproof = connection.execute(
                text("SELECT proleakproof FROM pg_proc WHERE proname = 'jsonb_contains'")
            ).scalar()
    except OperationalError as error:
        raise ServiceUnavailable("DATABASE_URL", f"the database does not answer ({error.orig}).") from None
    if not leakproof:
        logging.getLogger("aandacht.db").warning(
            "jsonb containment is not LEAKPROOF here: profile selections cannot use their index under "
            "row level security; see docs/operations.md"
        )
    if row.rolsuper or row.rolbypassrls:
        raise ConfigError(
            "DATABASE_URL",
            f"role {url.username!r} bypasses row level security (superuser or BYPASSRLS). Connect as a "
            "role without those rights and run migrations with DATABASE_ADMIN_URL; see docs/operations.md.",
        )
