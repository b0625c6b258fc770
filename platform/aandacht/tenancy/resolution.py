"""Which tenant a request is for, decided once per request in this one module.

In order: the path prefix `/t/<slug>/` (local use), a custom domain of a tenant (`werk.enschede.nl`),
a subdomain of the base domain (`enschede.<AANDACHT_BASE_DOMAIN>`). A request that names an unknown
or suspended tenant gets the 404 page; one that names none is a platform request (no tenant).
"""

from __future__ import annotations

import re

from flask import Flask, g, request
from werkzeug.exceptions import NotFound

from aandacht.tenancy.context import CurrentTenant, reset_request_tenant, set_request_tenant
from aandacht.tenancy.service import find_tenant

_PREFIX = re.compile(r"^/t/([a-z][a-z0-9-]{1,39})(/.*)?$")
ENVIRON_SLUG = "aandacht.tenant_slug"


class TenantNotFound(NotFound):
    """The address names a tenant that does not exist or is suspended."""


class PathPrefixMiddleware:
    """Moves `/t/<slug>` from the path into SCRIPT_NAME, so routes and `url_for` work under the prefix."""

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        """Strip the prefix (if any) and pass the request on."""
        match = _PREFIX.match(environ.get("PATH_INFO", ""))
        if match:
            environ[ENVIRON_SLUG] = match.group(1)
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + f"/t/{match.group(1)}"
            environ["PATH_INFO"] = match.group(2) or "/"
        return self.wsgi_app(environ, start_response)


def _requested_tenant(base_domain: str | None) -> CurrentTenant | None:
    """The tenant the request names; None for a platform request; raises TenantNotFound.

    A host that belongs to a tenant serves only that tenant: a path prefix naming another is not found.
    """
    host = request.host.split(":")[0].lower().rstrip(".")
    slug = request.environ.get(ENVIRON_SLUG)
    host_tenant = find_tenant(host=host)
    if host_tenant is None and base_domain and host.endswith(f".{base_domain}"):
        subdomain = host.removesuffix(f".{base_domain}")
        if subdomain != "www":
            host_tenant = _active(find_tenant(slug=subdomain) if "." not in subdomain else None)
    if host_tenant is not None:
        if slug and slug != host_tenant.slug:
            raise TenantNotFound()
        return _active(host_tenant)
    return _active(find_tenant(slug=slug)) if slug else None


def _active(tenant: CurrentTenant | None) -> CurrentTenant:
    if tenant is None or tenant.status != "active":
        raise TenantNotFound()
    return tenant


def init_app(app: Flask, base_domain: str | None) -> None:
    """Resolve the tenant before each request and leave it after."""
    app.wsgi_app = PathPrefixMiddleware(app.wsgi_app)

    @app.before_request
    def enter_tenant() -> None:
        g.tenant = _requested_tenant(base_domain)
        g.tenant_token = set_request_tenant(g.tenant)

    @app.teardown_request
    def leave_tenant(_exc) -> None:
        token = g.pop("tenant_token", None)
        if token is not None:
            reset_request_tenant(token)
