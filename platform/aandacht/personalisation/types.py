"""Content types: what a domain (or the core) adds to the catalogue, and how its items fit a person.

A content type names the kind of item (`werk.vacancy`), the fields of its details (hours, contract,
...), the tags it derives from those details, and its *fit rules*: how a person's profile turns into
weighted tags. An item fits a person by the tags both share (docs/personalisation.md, "Profile fit").
Rules are plain data (`Wants`, `Avoids`) or a `FitRule` subclass of the domain's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from typing_extensions import override

from aandacht.profiles.definitions import PREFER_NOT_TO_SAY, Option, ProfileAttribute

FIELD_TYPES = ("text", "long_text", "number", "date", "boolean", "choice", "url")


class InvalidDetail(ValueError):
    """A detail of an item does not fit its field; the message says why, for the person who typed it."""


@dataclass(frozen=True)
class ContentField:
    """One detail of items of a type (a vacancy's hours, a workshop's place)."""

    key: str
    label: object
    #: One of `FIELD_TYPES`.
    type: str = "text"
    options: tuple[Option | str, ...] = ()
    required: bool = False
    help: object = ""

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"{self.key}: unknown field type {self.type!r}")
        object.__setattr__(
            self, "options", tuple(o if isinstance(o, Option) else Option(o, o) for o in self.options)
        )

    def clean(self, raw: Any) -> Any:
        """The value to store for `raw` (None when empty); raises InvalidDetail."""
        if raw is None or raw == "":
            if self.required:
                raise InvalidDetail(_("Fill this in."))
            return None
        return _DETAIL_CLEANERS[self.type](self, raw)

    def option_label(self, value: Any) -> str:
        """The words of a choice's value (the value itself when it is not an option)."""
        for option in self.options:
            if option.value == value:  # type: ignore[union-attr]
                return str(option.label)  # type: ignore[union-attr]
        return str(value)


def _clean_text(_field: ContentField, raw: Any) -> str:
    text = str(raw).strip()
    if len(text) > 2000:
        raise InvalidDetail(_("This is too long: at most %(count)d characters.", count=2000))
    return text


def _clean_number(_field: ContentField, raw: Any) -> float | int:
    try:
        number = float(str(raw).strip().replace(",", "."))
    except ValueError:
        raise InvalidDetail(_("Fill in a number.")) from None
    return int(number) if number.is_integer() else number


def _clean_date(_field: ContentField, raw: Any) -> str:
    try:
        return date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError:
        raise InvalidDetail(_("Fill in a date like 2026-03-31.")) from None


def _clean_boolean(_field: ContentField, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if str(raw).strip().lower() in ("true", "yes", "ja", "1", "on"):
        return True
    if str(raw).strip().lower() in ("false", "no", "nee", "0", "off"):
        return False
    raise InvalidDetail(_("Choose yes or no."))


def _clean_choice(field_: ContentField, raw: Any) -> str:
    values = [option.value for option in field_.options]  # type: ignore[union-attr]
    if raw not in values:
        raise InvalidDetail(_("Choose one of the answers."))
    return raw


def _clean_url(_field: ContentField, raw: Any) -> str:
    url = str(raw).strip()
    if not url.startswith(("https://", "http://")) or len(url) > 500:
        raise InvalidDetail(_("Give a web address that starts with https://."))
    return url


_DETAIL_CLEANERS: dict[str, Callable[[ContentField, Any], Any]] = {
    "text": _clean_text,
    "long_text": _clean_text,
    "number": _clean_number,
    "date": _clean_date,
    "boolean": _clean_boolean,
    "choice": _clean_choice,
    "url": _clean_url,
}


@dataclass(frozen=True)
class ProfileTag:
    """A tag that makes items fit a person (weight > 0) or not (weight < 0), with the plain reason."""

    tag: str
    weight: float
    reason: str


class FitRule:
    """Turns a person's profile into weighted tags; subclass it for a rule that data cannot express."""

    #: The attribute keys the rule reads (the profile engine asks those questions earlier).
    reads: tuple[str, ...] = ()

    def tags(
        self, values: Mapping[str, Any], attributes: Mapping[str, ProfileAttribute]
    ) -> Iterable[ProfileTag]:
        """The weighted tags for a person with these profile values."""
        raise NotImplementedError


def answers(values: Mapping[str, Any], key: str) -> list[Any]:
    """The answers a person gave to `key`, as a list (none when unanswered or "prefer not to say")."""
    value = values.get(key)
    if value is None or value == PREFER_NOT_TO_SAY:
        return []
    return list(value) if isinstance(value, list) else [value]


def _option_label(attribute: ProfileAttribute | None, value: Any) -> str:
    if attribute is not None:
        for option in attribute.options:
            if option.value == value:  # type: ignore[union-attr]
                return str(option.label)  # type: ignore[union-attr]
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


@dataclass(frozen=True)
class Wants(FitRule):
    """Items tagged `<prefix>:<value>` fit people whose `attribute` holds that value.

    `reason` is a lazy string with `%(value)s`, the answer's words: "You want to work in %(value)s."
    """

    attribute: str
    prefix: str
    reason: object
    weight: float = 1.0

    @property
    @override
    def reads(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.attribute,)

    @override
    def tags(
        self, values: Mapping[str, Any], attributes: Mapping[str, ProfileAttribute]
    ) -> Iterable[ProfileTag]:
        attribute = attributes.get(self.attribute)
        for value in answers(values, self.attribute):
            token = str(value).lower() if isinstance(value, bool) else str(value)
            reason = str(self.reason) % {"value": _option_label(attribute, value)}
            yield ProfileTag(f"{self.prefix}:{token}", self.weight, reason)


@dataclass(frozen=True)
class Suggests(FitRule):
    """Items tagged `tag` fit people whose `attribute` holds one of `values` (`Avoids` the other way)."""

    attribute: str
    values: tuple[Any, ...]
    tag: str
    reason: object
    weight: float = 1.0

    @property
    @override
    def reads(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.attribute,)

    @override
    def tags(
        self, values: Mapping[str, Any], attributes: Mapping[str, ProfileAttribute]
    ) -> Iterable[ProfileTag]:
        if any(value in self.values for value in answers(values, self.attribute)):
            yield ProfileTag(self.tag, self.weight, str(self.reason))


@dataclass(frozen=True)
class Avoids(Suggests):
    """Items tagged `tag` do not fit people whose `attribute` holds `value`.

    "No lawnmower for someone on the sixth floor": `Avoids("home", "flat", "needs:garden", ...)`.
    """

    def __init__(self, attribute: str, value: Any, tag: str, reason: object, weight: float = -3.0) -> None:
        super().__init__(attribute, (value,), tag, reason, weight)


@dataclass(frozen=True)
class CardFact:
    """One short fact of an item with its icon ("32 hours", "8 km"): the card's short version."""

    #: A Tabler icon name.
    icon: str
    #: A few words, no sentence.
    text: str


#: From an item's details and the person's profile values, the item's short facts (at most a few).
CardFacts = Callable[[Mapping[str, Any], Mapping[str, Any]], Iterable[CardFact]]


@dataclass(frozen=True)
class ContentType:
    """A kind of content item: its words, icon, details, derived tags and fit rules."""

    #: `<domain>.<name>` (`werk.vacancy`), or `core.<name>` for the core's own.
    key: str
    label: object
    #: Plural, for lists and filters ("Vacancies").
    plural: object
    icon: str = "file-text"
    fields: tuple[ContentField, ...] = ()
    #: The words of the main action on an item: apply, sign up, ... (recorded as `apply`); "" for none.
    action: object = ""
    #: What the person reads once they did it ("You applied."); "" for "Done: <action>".
    action_done: object = ""
    #: Tags an item gets from its details (a vacancy of 36 hours: `hours:fulltime`).
    derive_tags: Callable[[Mapping[str, Any]], Iterable[str]] | None = None
    #: How a person's profile turns into weighted tags of this type's items.
    fit_rules: tuple[FitRule, ...] = ()
    #: Labels of tag prefixes for explanations and the editor ("sector" -> "Sector").
    tag_prefixes: Mapping[str, object] = field(default_factory=dict)
    #: Words for whole tags that no answer or choice names ("hours:part_time" -> "part-time work"), for
    #: "why do I see this?".
    tag_labels: Mapping[str, object] = field(default_factory=dict)
    #: The short version of an item for people who read little: a few facts with an icon each, shown on
    #: its card and read aloud with it. None: the card shows its title and summary only.
    card_facts: CardFacts | None = None

    def facts(self, details: Mapping[str, Any], values: Mapping[str, Any]) -> tuple[CardFact, ...]:
        """The item's short facts for a person with these profile values (none without `card_facts`)."""
        return tuple(self.card_facts(details, values)) if self.card_facts is not None else ()

    def field_named(self, key: str) -> ContentField | None:
        """The detail field with this key, if the type has one."""
        return next((item for item in self.fields if item.key == key), None)

    def features(self, tags: Iterable[str], details: Mapping[str, Any]) -> set[str]:
        """Every tag of an item: its own and those derived from its details, plus its type."""
        found = {str(tag) for tag in tags}
        if self.derive_tags is not None:
            found.update(self.derive_tags(details))
        found.add(f"type:{self.key}")
        return found


#: The core's type: news of the organisation, for every tenant whatever domains it enables.
NEWS = ContentType(
    key="core.news",
    label=_l("News"),
    plural=_l("News"),
    icon="news",
)
