"""Outcome types: what can happen to a person that research counts (found work, benefit ended, ...).

The core defines no outcome types of its own: each domain contributes those of its target group through
`Domain.outcome_types()`, named `<domain>.<outcome>`. A type may ask details (hours a week, an employer);
each detail checks its own input, so the workspace, the import and the API refuse the same things.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _


class DetailInvalid(ValueError):
    """A detail's value is refused; the message says why, in the request's language."""


@dataclass(frozen=True)
class OutcomeDetail:
    """One detail asked with an outcome: free text, a whole number within bounds, or one of some choices."""

    name: str
    label: object
    #: "text", "number" or "choice".
    kind: str = "text"
    required: bool = False
    #: For a choice: (value, label) pairs.
    options: tuple[tuple[str, object], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    longest: int = 200

    def clean(self, raw: Any) -> Any:
        """The value to store for `raw` (None when left empty); raises DetailInvalid when refused."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if self.required:
                raise DetailInvalid(_("Fill in %(label)s.", label=self.label))
            return None
        if self.kind == "number":
            return self._number(raw)
        text = str(raw).strip()
        if self.kind == "choice":
            allowed = [value for value, _label in self.options]
            if text not in allowed:
                raise DetailInvalid(
                    _("%(label)s must be one of: %(allowed)s.", label=self.label, allowed=", ".join(allowed))
                )
            return text
        if len(text) > self.longest:
            raise DetailInvalid(
                _("%(label)s is longer than %(count)d characters.", label=self.label, count=self.longest)
            )
        return text

    def _number(self, raw: Any) -> int:
        try:
            number = int(str(raw).strip()) if not isinstance(raw, bool) else None
        except ValueError:
            number = None
        if number is None:
            raise DetailInvalid(_("%(label)s must be a whole number.", label=self.label))
        if (self.minimum is not None and number < self.minimum) or (
            self.maximum is not None and number > self.maximum
        ):
            raise DetailInvalid(
                _(
                    "%(label)s must be from %(low)d to %(high)d.",
                    label=self.label,
                    low=self.minimum if self.minimum is not None else number,
                    high=self.maximum if self.maximum is not None else number,
                )
            )
        return number

    def shown(self, value: Any) -> str:
        """The stored value in words (a choice's label)."""
        if self.kind == "choice":
            return str(dict(self.options).get(value, value))
        return str(value)


@dataclass(frozen=True)
class OutcomeType:
    """A kind of outcome a domain contributes, e.g. `werk.work_ends_benefit`."""

    key: str
    label: object
    description: object = ""
    icon: str = "flag"
    #: Whether this outcome ends the person's trajectory (for the werk domain: the benefit ends).
    ends_trajectory: bool = False
    details: tuple[OutcomeDetail, ...] = field(default=())

    def clean_details(self, raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """The details to store and, per detail name, why a value is refused; unknown names are refused."""
        cleaned: dict[str, Any] = {}
        problems: dict[str, str] = {}
        known = {detail.name: detail for detail in self.details}
        for name in raw:
            if name not in known:
                problems[name] = _("This outcome has no detail %(name)s.", name=name)
        for detail in self.details:
            try:
                value = detail.clean(raw.get(detail.name))
            except DetailInvalid as invalid:
                problems[detail.name] = str(invalid)
                continue
            if value is not None:
                cleaned[detail.name] = value
        return cleaned, problems

    def details_in_words(self, details: Mapping[str, Any] | None) -> list[tuple[str, str]]:
        """(label, value) of each stored detail, in the type's order."""
        stored = details or {}
        return [
            (str(detail.label), detail.shown(stored[detail.name]))
            for detail in self.details
            if stored.get(detail.name) is not None
        ]
