"""Small helpers for tests that act as a browser would."""

import re

from aandacht.outreach.outbox import outbox_messages


def csrf_token(response) -> str:
    """The CSRF token of the (first) form on a page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def latest_message(app, tenant, channel: str = "email") -> dict:
    """The newest message of `channel` that the tenant's outbox holds."""
    messages = [
        message
        for message in outbox_messages(
            app.extensions["aandacht.settings"].outbox_dir, tenant_slug=tenant.slug
        )
        if message["channel"] == channel
    ]
    assert messages, f"no {channel} in the outbox of {tenant.slug}"
    return messages[0]


def post_form(client, url: str, data: dict, **kwargs):
    """Open the form page, then post it with its CSRF token (as a browser does)."""
    token = csrf_token(client.get(url))
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


def heading(response) -> str:
    """The text of the page's first heading."""
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.get_data(as_text=True), re.S)
    assert match, "the page has no heading"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


#: Special-category attributes of a test tenant, as its tenant file would declare them.
HEALTH_ATTRIBUTES = [
    {
        "key": "tenant.energy",
        "label": {"nl": "Hoeveel energie heeft u?", "en": "How much energy do you have?"},
        "type": "scale",
        "category": "health",
        "sensitivity": "special",
        "visible_to": ["person", "coach"],
        "editable_by": ["person", "coach"],
    },
    {
        "key": "tenant.diagnosis",
        "label": {"nl": "Diagnose", "en": "Diagnosis"},
        "type": "text",
        "category": "health",
        "sensitivity": "special",
        "visible_to": ["person"],
        "editable_by": ["person"],
    },
]
