"""Languages: Flask-Babel with Dutch as default and English second.

The locale of a request is the visitor's preferred language among the tenant's locales, else the
tenant's own language. The core's catalogue is `aandacht/translations` (gettext domain `messages`);
each domain package brings its own in `Domain.translations_dir`, with the package's name as gettext
domain (`aandacht_werk.po`), and they are merged: a template's `_()` finds the strings of both.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g, has_app_context, has_request_context, request
from flask_babel import Babel, get_locale

from aandacht.plugins import DomainRegistry
from aandacht.tenancy.context import current_tenant

SUPPORTED_LOCALES = ("nl", "en")
DEFAULT_LOCALE = "nl"


def select_locale() -> str:
    """The locale of the request or job: the person's own, else the browser's, else the tenant's."""
    tenant = current_tenant()
    supported = tenant.locales if tenant else SUPPORTED_LOCALES
    principal = g.get("principal") if has_app_context() else None
    if principal is not None and principal.locale in supported:
        return principal.locale
    if has_request_context():
        preferred = request.accept_languages.best_match(supported)
        if preferred:
            return preferred
    return supported[0] if supported else DEFAULT_LOCALE


def init_app(app: Flask, registry: DomainRegistry) -> None:
    """Set up Flask-Babel with the core's catalogue merged with every loaded domain's."""
    directories = [str(Path(__file__).parent / "translations")]
    gettext_domains = ["messages"]
    for domain in registry.domains.values():
        if domain.translations_dir is not None:
            directories.append(str(domain.translations_dir))
            gettext_domains.append(type(domain).__module__.split(".")[0])
    app.config["BABEL_DEFAULT_LOCALE"] = DEFAULT_LOCALE
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(directories)
    app.config["BABEL_DOMAIN"] = ";".join(gettext_domains)
    Babel(app, locale_selector=select_locale, default_timezone="Europe/Amsterdam")
    app.jinja_env.globals["get_locale"] = get_locale
