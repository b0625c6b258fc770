"""Checks that predicates share: the shape of their arguments, whole numbers, dates, counts in a period."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _

from aandacht.segments.language import Context, Invalid

#: The relative forms of a date: `{"days_ago": 14}` is fourteen days before today.
RELATIVE_DATE_UNITS = ("days", "weeks", "months", "years")
RELATIVE_DATE_KEYS = tuple(f"{unit}_{way}" for unit in RELATIVE_DATE_UNITS for way in ("ago", "ahead"))
#: The longest period or relative date: a hundred years.
MAX_DAYS = 36_500

DATE_SCHEMA: dict[str, Any] = {
    "oneOf": [
        {"type": "string", "format": "date"},
        {
            "type": "object",
            "minProperties": 1,
            "maxProperties": 1,
            "properties": {
                key: {"type": "integer", "minimum": 0, "maximum": MAX_DAYS} for key in RELATIVE_DATE_KEYS
            },
            "additionalProperties": False,
        },
    ]
}
COUNT_SCHEMA_PROPERTIES: dict[str, Any] = {
    "min": {"type": "integer", "minimum": 0, "description": "At least this many (default 1; 0 with max)."},
    "max": {"type": "integer", "minimum": 0, "description": "At most this many (default: no limit)."},
    "within_days": {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_DAYS,
        "description": "Count only the last this many days (default: all time).",
    },
}


def fields(arguments: Any, *, required: Iterable[str] = (), optional: Iterable[str] = ()) -> dict[str, Any]:
    """`arguments` as a dict holding every required key and no unknown one; raises Invalid."""
    required, optional = tuple(required), tuple(optional)
    if not isinstance(arguments, dict):
        raise Invalid(_("Give the details of this condition as an object."))
    for key in arguments:
        if key not in required and key not in optional:
            raise Invalid(_('Unknown field "%(name)s".', name=key), key)
    for key in required:
        if key not in arguments:
            raise Invalid(_('The field "%(name)s" is missing.', name=key))
    return arguments


def whole_number(value: Any, *path: str | int, minimum: int = 0, maximum: int = MAX_DAYS) -> int:
    """`value` as a whole number from `minimum` to `maximum`; raises Invalid at `path`."""
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise Invalid(_("Fill in a whole number from %(low)d to %(high)d.", low=minimum, high=maximum), *path)
    return value


def text(value: Any, *path: str | int, choices: Iterable[str] = ()) -> str:
    """`value` as a string, one of `choices` when given; raises Invalid at `path`."""
    choices = tuple(choices)
    if not isinstance(value, str) or (choices and value not in choices):
        if choices:
            raise Invalid(_("Choose one of: %(choices)s.", choices=", ".join(choices)), *path)
        raise Invalid(_("Write this as text."), *path)
    return value


def a_date(value: Any, context: Context, *path: str | int) -> date:
    """A date written as `2026-03-31` or relative to today (`{"days_ago": 14}`); raises Invalid."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    elif isinstance(value, dict) and len(value) == 1:
        ((key, amount),) = value.items()
        if key in RELATIVE_DATE_KEYS:
            amount = whole_number(amount, *path, key)
            unit, way = key.split("_")
            return shifted(context.today, unit, amount if way == "ahead" else -amount)
    raise Invalid(_('Fill in a date like 2026-03-31, or one like {"days_ago": 14}.'), *path)


def shifted(day: date, unit: str, amount: int) -> date:
    """`day` moved by `amount` days, weeks, months or years (the 31st becomes the month's last day)."""
    if unit in ("days", "weeks"):
        return day + timedelta(days=amount * (7 if unit == "weeks" else 1))
    months = day.month - 1 + amount * (12 if unit == "years" else 1)
    year, month = day.year + months // 12, months % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def start_of(day: date) -> datetime:
    """The first moment of `day` (UTC), for comparing moments with dates."""
    return datetime.combine(day, time.min, tzinfo=UTC)


@dataclass(frozen=True)
class CountInPeriod:
    """How many of something, at least `minimum` and at most `maximum`, since `since` (None: ever)."""

    minimum: int
    maximum: int | None
    since: datetime | None


def count_in_period(arguments: dict[str, Any], context: Context) -> CountInPeriod:
    """The `min`, `max` and `within_days` fields of a behavioural predicate; raises Invalid."""
    maximum = arguments.get("max")
    minimum = whole_number(arguments.get("min", 1 if maximum is None else 0), "min", maximum=1_000_000)
    if maximum is not None:
        maximum = whole_number(maximum, "max", maximum=1_000_000)
        if maximum < minimum:
            raise Invalid(_("The most cannot be lower than the least."), "max")
    days = arguments.get("within_days")
    since = (
        None if days is None else context.now - timedelta(days=whole_number(days, "within_days", minimum=1))
    )
    return CountInPeriod(minimum, maximum, since)
