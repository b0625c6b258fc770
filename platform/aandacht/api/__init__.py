"""The platform's HTTP API, under `/api/v1` of each organisation's address (locally `/t/<slug>/api/v1`).

Built with flask-smorest (aandacht.api.smorest): one blueprint per resource, MethodView classes, the
OpenAPI document at `/api/v1/openapi.json` and its documentation page at `/api/v1/docs`. Callers
authenticate with a bearer token (a personal token or an integration's access token) or, in the browser,
with their login session; see aandacht.api.access and docs/api.md.
"""

from __future__ import annotations

from flask import Flask

from aandacht.accounts.csrf import csrf
from aandacht.api import credentials, me, oauth, people, profiles, questions
from aandacht.api.errors import routing_error_response
from aandacht.api.smorest import Api

#: The resources, in the order of the documentation.
RESOURCES = (me.blp, questions.blp, people.blp, profiles.blp, credentials.blp, oauth.blp)


def init_app(app: Flask) -> None:
    """Serve the API, its document and documentation page; answer every API error in JSON."""
    api = Api(app)
    for blueprint in RESOURCES:
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)  # a login session's writes are checked by aandacht.api.access instead
    app.extensions["aandacht.api"] = api
    _answer_routing_errors_first(app)


def _answer_routing_errors_first(app: Flask) -> None:
    """An API address or method that does not exist gets JSON, before any other check answers in HTML.

    Such requests reach no blueprint, so the blueprints' error handlers never see them, and later hooks
    would answer them with the HTML error page: the tenant's resolution (an unknown organisation) and
    Flask-WTF's CSRF check (a POST). So the hook runs right after the request log starts, before the
    tenant is resolved; its message follows Accept-Language (no principal is known yet).
    """
    hooks = app.before_request_funcs.setdefault(None, [])
    first = next((i for i, hook in enumerate(hooks) if hook.__module__ == "aandacht.tenancy.resolution"), 0)
    hooks.insert(first, routing_error_response)
