"""What a profile attribute is: its type, words, icon, sensitivity, who sees and edits it, and its rules.

Definitions come from the core (`CORE_ATTRIBUTES`), from enabled domains (`Domain.profile_attributes()`)
and from the tenant file (`[[attributes]]`); `aandacht.profiles.registry` merges them per tenant.
`ProfileAttribute.clean()` turns raw input into the stored value or raises `InvalidValue` with a
message for the person who typed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

TYPES = ("text", "number", "date", "boolean", "choice", "multiple_choice", "scale")
#: normal; personal (contact, family); special: special categories of the GDPR, such as health.
SENSITIVITIES = ("normal", "personal", "special")
#: Who can see or change a value: the person, staff by role, and the system (imports, rules).
AUDIENCES = ("person", "coach", "team_lead", "tenant_admin", "system")
EVERYONE = frozenset({"person", "coach", "team_lead", "tenant_admin"})
#: The answer "prefer not to say", always possible, stored as itself.
PREFER_NOT_TO_SAY = "prefer_not_to_say"


class InvalidValue(ValueError):
    """A value does not fit its attribute; the message says why, in the person's language."""


@dataclass(frozen=True)
class Option:
    """One answer of a choice attribute."""

    value: str
    label: object
    icon: str = ""


@dataclass(frozen=True)
class ProfileAttribute:
    """A characteristic of a person: what a domain, the core or a tenant adds to the profile."""

    #: Unique key: `werk.driving_licence` for a domain, `tenant.<name>` for a tenant's own.
    key: str
    #: Short question-like label (a lazy string), e.g. "Do you have a driving licence?".
    label: object
    #: One of `TYPES`.
    type: str
    #: The answers of `choice` and `multiple_choice` (plain strings are their own label).
    options: tuple[Option | str, ...] = ()
    #: One plain sentence that helps to answer.
    help: object = ""
    #: Tabler icon name shown beside the question.
    icon: str = "user"
    #: Group in the profile, e.g. "education", "work", "health".
    category: str = "general"
    #: Hard (education, experience, licences) or soft (talents, hobbies, motivation).
    hard: bool = False
    #: One of `SENSITIVITIES`; `special` values are shown only to those named in `visible_to`.
    sensitivity: str = "normal"
    visible_to: frozenset[str] = EVERYONE
    editable_by: frozenset[str] = frozenset({"person", "coach", "system"})
    #: Bounds of `number` and `scale` (scale defaults to 1-5), or the most choices of `multiple_choice`.
    minimum: float | None = None
    maximum: float | None = None
    #: Longest `text`, and an optional regular expression it must match.
    max_length: int = 500
    pattern: str | None = None
    #: A change the person reports here is a life event (moving, a new household, health): the coach's
    #: worklist shows it (docs/attention.md).
    life_event: bool = False
    #: Numbers of a `number` attribute offered as buttons, so that it is answered with one tap (16, 24,
    #: 32, 40 hours); another number can still be typed.
    quick_answers: tuple[int, ...] = ()
    #: The unit of a `number` attribute shown after a number ("hours", "km"), a lazy string.
    unit: object = ""
    #: Where the definition comes from: core, a domain's name, or tenant (set by the registry).
    source: str = field(default="core", compare=False)

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"{self.key}: unknown type {self.type!r}")
        if self.sensitivity not in SENSITIVITIES:
            raise ValueError(f"{self.key}: unknown sensitivity {self.sensitivity!r}")
        if self.type in ("choice", "multiple_choice") and not self.options:
            raise ValueError(f"{self.key}: a {self.type} attribute needs options")
        if self.quick_answers and (self.type != "number" or not self._within_bounds(self.quick_answers)):
            raise ValueError(f"{self.key}: quick answers are numbers within the bounds of a number attribute")
        unknown = (self.visible_to | self.editable_by) - set(AUDIENCES)
        if unknown:
            raise ValueError(f"{self.key}: unknown audience {sorted(unknown)}")
        object.__setattr__(
            self, "options", tuple(o if isinstance(o, Option) else Option(o, o) for o in self.options)
        )

    @property
    def option_values(self) -> tuple[str, ...]:
        """The stored values of the options."""
        return tuple(option.value for option in self.options)  # type: ignore[union-attr]

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """Lowest and highest allowed number (a scale runs 1-5 unless said otherwise)."""
        if self.type == "scale":
            return (
                self.minimum if self.minimum is not None else 1,
                self.maximum if self.maximum is not None else 5,
            )
        return self.minimum, self.maximum

    def _within_bounds(self, numbers: tuple[int, ...]) -> bool:
        low, high = self.bounds
        return all((low is None or low <= n) and (high is None or n <= high) for n in numbers)

    def clean(self, raw: Any) -> Any:
        """The value to store for `raw` (JSON-ready); raises InvalidValue. None clears the value."""
        if raw is None or raw == "" or raw == []:
            return None
        if raw == PREFER_NOT_TO_SAY:
            return PREFER_NOT_TO_SAY
        return _CLEANERS[self.type](self, raw)


@dataclass(frozen=True)
class Questionnaire:
    """A short set of questions bound to attributes, asked a few at a time (never all at once)."""

    #: Unique key: `werk.work_experience`, `core.contact`, `tenant.<name>`.
    key: str
    title: object
    #: The attribute keys it asks, in the order to ask them.
    attribute_keys: tuple[str, ...]
    #: Higher first: how much the tenant's work depends on these answers (0-100).
    priority: int = 50
    icon: str = "clipboard-list"


def _clean_text(attribute: ProfileAttribute, raw: Any) -> str:
    if not isinstance(raw, str):
        raise InvalidValue(_("Write this as text."))
    text = raw.strip()
    if len(text) > attribute.max_length:
        raise InvalidValue(_("This is too long: at most %(count)d characters.", count=attribute.max_length))
    if attribute.pattern and not re.fullmatch(attribute.pattern, text):
        raise InvalidValue(_("This is not in the right form."))
    return text


def _clean_number(attribute: ProfileAttribute, raw: Any) -> float | int:
    if isinstance(raw, bool):
        raise InvalidValue(_("Fill in a number."))
    try:
        number = float(str(raw).strip().replace(",", ".")) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        raise InvalidValue(_("Fill in a number.")) from None
    low, high = attribute.bounds
    if (low is not None and number < low) or (high is not None and number > high):
        raise InvalidValue(
            _("Fill in a number from %(low)s to %(high)s.", low=_plain(low), high=_plain(high))
        )
    return int(number) if number.is_integer() else number


def _clean_scale(attribute: ProfileAttribute, raw: Any) -> int:
    number = _clean_number(attribute, raw)
    if not float(number).is_integer():
        raise InvalidValue(_("Choose a whole number."))
    return int(number)


def _clean_date(_attribute: ProfileAttribute, raw: Any) -> str:
    try:
        return date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError:
        raise InvalidValue(_("Fill in a date like 2026-03-31.")) from None


def _clean_boolean(_attribute: ProfileAttribute, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "yes", "ja", "1"):
        return True
    if text in ("false", "no", "nee", "0"):
        return False
    raise InvalidValue(_("Choose yes or no."))


def _clean_choice(attribute: ProfileAttribute, raw: Any) -> str:
    if raw not in attribute.option_values:
        raise InvalidValue(_("Choose one of the answers."))
    return raw


def _clean_multiple_choice(attribute: ProfileAttribute, raw: Any) -> list[str]:
    chosen = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else None
    if chosen is None or any(value not in attribute.option_values for value in chosen):
        raise InvalidValue(_("Choose from the answers."))
    unique = [value for value in attribute.option_values if value in chosen]
    if attribute.maximum is not None and len(unique) > attribute.maximum:
        raise InvalidValue(_("Choose at most %(count)d answers.", count=int(attribute.maximum)))
    return unique


def _plain(number: float | None) -> str:
    return "" if number is None else str(int(number)) if float(number).is_integer() else str(number)


_CLEANERS = {
    "text": _clean_text,
    "number": _clean_number,
    "scale": _clean_scale,
    "date": _clean_date,
    "boolean": _clean_boolean,
    "choice": _clean_choice,
    "multiple_choice": _clean_multiple_choice,
}

#: The core's questionnaire: how to reach the person, in which language.
CORE_QUESTIONNAIRES = (
    Questionnaire(
        key="core.contact",
        title=_l("How we reach you"),
        attribute_keys=("core.preferred_channel", "core.languages"),
        priority=90,
        icon="message-circle",
    ),
)

#: What every tenant's profiles hold, whatever domains it enables.
CORE_ATTRIBUTES = (
    ProfileAttribute(
        key="core.preferred_channel",
        label=_l("How do you want to hear from us?"),
        type="choice",
        options=(
            Option("app", _l("In the app"), "device-mobile"),
            Option("email", _l("By e-mail"), "mail"),
            Option("sms", _l("By text message"), "message"),
            Option("phone", _l("By phone"), "phone"),
        ),
        icon="message-circle",
        category="contact",
        hard=True,
        sensitivity="personal",
    ),
    ProfileAttribute(
        key="core.languages",
        label=_l("Which languages do you speak?"),
        type="multiple_choice",
        options=(
            Option("nl", _l("Dutch")),
            Option("en", _l("English")),
            Option("ar", _l("Arabic")),
            Option("tr", _l("Turkish")),
            Option("pl", _l("Polish")),
            Option("uk", _l("Ukrainian")),
            Option("ti", _l("Tigrinya")),
            Option("other", _l("Another language")),
        ),
        icon="language",
        category="personal",
        hard=True,
    ),
)
