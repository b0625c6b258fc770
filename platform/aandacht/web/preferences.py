"""A resident's own settings of the participant app: text size and language.

The text size belongs to the device (a phone with large text, a shared computer with normal text), so
it is a cookie of the tenant's address; the language belongs to the person and is stored on them.
"""

from __future__ import annotations

import uuid

from flask import current_app, g, request
from werkzeug.wrappers import Response

from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person
from aandacht.tenancy.scoping import get_scoped

#: The text sizes a resident can choose, smallest first; the first is the default.
TEXT_SIZES = ("normal", "large", "extra-large")
TEXT_SIZE_COOKIE = "aandacht_text_size"
_A_YEAR = 365 * 24 * 3600


class PreferenceRefused(ValueError):
    """A setting has a value that is not one of its choices."""


def text_size() -> str:
    """The text size of this browser (the default when none was chosen, or the cookie is odd)."""
    chosen = request.cookies.get(TEXT_SIZE_COOKIE, "")
    return chosen if chosen in TEXT_SIZES else TEXT_SIZES[0]


def remember_text_size(response: Response, size: str) -> None:
    """Keep `size` in this browser, for this tenant's pages only (the cookie's path is the tenant's)."""
    if size not in TEXT_SIZES:
        raise PreferenceRefused(size)
    response.set_cookie(
        TEXT_SIZE_COOKIE,
        size,
        max_age=_A_YEAR,
        path=(request.script_root or "") + "/",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )


def choose_language(person_id: uuid.UUID, locale: str) -> None:
    """Store the person's own language; it must be one of the tenant's languages."""
    if locale not in g.tenant.locales:
        raise PreferenceRefused(locale)
    person = get_scoped(Person, person_id)
    if person is None:
        raise PreferenceRefused(str(person_id))
    accounts.set_locale(person, locale)
