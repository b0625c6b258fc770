"""The platform's HTTP API, under `/api/v1` of each organisation's address (locally `/t/<slug>/api/v1`).

Built with flask-smorest (aandacht.api.smorest): one blueprint per resource, MethodView classes, the
OpenAPI document at `/api/v1/openapi.json` and its documentation page at `/api/v1/docs`. Callers
authenticate with a bearer token (a personal token or an integration's access token) or, in the browser,
with their login session; see aandacht.api.access and docs/api.md.
"""

from __future__ import annotations

from flask import Flask

from aandacht.accounts.csrf import csrf
from aandacht.api import (
    campaigns,
    content,
    conversations,
    credentials,
    feed,
    me,
    oauth,
    outcomes,
    people,
    profiles,
    questions,
    rules,
    segments,
    templates,
)
from aandacht.api.errors import outside_response
from aandacht.api.smorest import API_PREFIX, Api

#: The resources, in the order of the documentation.
RESOURCES = (
    me.blp,
    questions.blp,
    feed.blp,
    people.blp,
    profiles.blp,
    segments.blp,
    content.blp,
    templates.blp,
    campaigns.blp,
    rules.blp,
    outcomes.blp,
    conversations.blp,
    credentials.blp,
    oauth.blp,
)


def init_app(app: Flask) -> None:
    """Serve the API, its document and documentation page; answer every API error in JSON."""
    api = Api(app)
    for blueprint in RESOURCES:
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)  # a login session's writes are checked by aandacht.api.access instead
    app.extensions["aandacht.api"] = api
    # Errors no API blueprint sees (unknown API address, unknown tenant, CSRF) are answered in JSON too.
    app.extensions.setdefault("aandacht.error_responders", []).append((API_PREFIX + "/", outside_response))
