"""What selections read of profiles: one attribute's value, and whether a questionnaire was answered.

On PostgreSQL an equality, a choice among values and a multiple choice compile to containment (`@>`)
on the profile document, which its GIN index (jsonb_path_ops) answers; ranges read the value out and
compare it, after the index has narrowed the rows. On SQLite they read the value with json_extract.
A comparison on a scale is a choice among its steps. The answer "prefer not to say" matches none of the
comparisons, only `declined`; `is_empty` means no answer at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Numeric, and_, case, exists, false, func, literal, not_, or_, select
from sqlalchemy import type_coerce as coerce
from sqlalchemy.dialects.postgresql import JSONB
from typing_extensions import override

from aandacht.profiles.definitions import PREFER_NOT_TO_SAY, InvalidValue, ProfileAttribute
from aandacht.profiles.models import ProfileChange
from aandacht.profiles.questions import questionnaires_for
from aandacht.profiles.service import may
from aandacht.segments.arguments import (
    COUNT_SCHEMA_PROPERTIES,
    a_date,
    fields,
    text,
    whole_number,
)
from aandacht.segments.language import Context, Invalid, Predicate

#: The operators of each attribute type.
COMPARISONS = ("lt", "lte", "gt", "gte")
ON_EVERY_TYPE = ("is_empty", "is_set", "declined")
OPERATORS: dict[str, tuple[str, ...]] = {
    "text": ("eq", "ne", "in", *ON_EVERY_TYPE),
    "choice": ("eq", "ne", "in", *ON_EVERY_TYPE),
    "boolean": ("eq", *ON_EVERY_TYPE),
    "number": ("eq", "ne", "in", *COMPARISONS, "between", *ON_EVERY_TYPE),
    "scale": ("eq", "ne", "in", *COMPARISONS, "between", *ON_EVERY_TYPE),
    "date": ("eq", "ne", *COMPARISONS, "between", *ON_EVERY_TYPE),
    "multiple_choice": ("contains_any", "contains_all", *ON_EVERY_TYPE),
}
ALL_OPERATORS = tuple(dict.fromkeys(op for ops in OPERATORS.values() for op in ops))
_PYTHON_OPS = {"lt": "__lt__", "lte": "__le__", "gt": "__gt__", "gte": "__ge__"}
MAX_VALUES = 100
#: The most steps of a scale whose comparisons become a choice among its steps (more stay comparisons).
MAX_STEPS = 16


def may_select_on(context: Context, attribute: ProfileAttribute) -> bool:
    """Whether the viewer may select on `attribute`: as their role may see it (the system may all)."""
    audience = context.viewer.audience
    return audience == "system" or may(audience, attribute.visible_to, attribute.sensitivity)


class AttributeValue(Predicate):
    """One profile attribute compared with a value: `{"key": "werk.hours", "op": "gte", "value": 24}`."""

    name = "attribute"
    label = _l("Profile")
    schema = {
        "type": "object",
        "properties": {
            "key": {"type": "string", "description": "The attribute's key, e.g. werk.driving_licence."},
            "op": {"enum": list(ALL_OPERATORS)},
            "value": {
                "description": "A value of the attribute's type; a list for in, between (two), "
                'contains_any and contains_all; a date may be relative, e.g. {"years_ago": 27}; '
                "none for is_empty, is_set and declined."
            },
        },
        "required": ["key", "op"],
        "additionalProperties": False,
    }

    @override
    def check(self, arguments: Any, context: Context) -> tuple[ProfileAttribute, str, Any]:
        arguments = fields(arguments, required=["key", "op"], optional=["value"])
        attribute = context.attributes.get(text(arguments["key"], "key"))
        if attribute is None:
            raise Invalid(_("There is no such profile question."), "key")
        if not may_select_on(context, attribute):
            raise Invalid(_("You may not select on this profile question."), "key")
        op = text(arguments["op"], "op", choices=OPERATORS[attribute.type])
        if op in ON_EVERY_TYPE:
            if "value" in arguments:
                raise Invalid(_("This comparison takes no value."), "value")
            return attribute, op, None
        if "value" not in arguments:
            raise Invalid(_("Give the value to compare with."), "value")
        raw = arguments["value"]
        if op in ("in", "contains_any", "contains_all", "between"):
            return attribute, op, _values(attribute, op, raw, context)
        return attribute, op, _value(attribute, raw, context, "value")

    @override
    def compile(
        self, arguments: tuple[ProfileAttribute, str, Any], context: Context, scope: Any
    ) -> ColumnElement[bool]:
        attribute, op, value = arguments
        document = document_sql(scope)
        key = attribute.key
        if op == "is_empty":
            return document.missing(key)
        if op == "is_set":
            return not_(document.missing(key))
        documents = self.containment(arguments)
        if documents is not None:
            return document.holds_one_of(documents)
        if op == "ne":
            declined = document.equals(key, PREFER_NOT_TO_SAY)
            return and_(not_(document.missing(key)), not_(document.equals(key, value)), not_(declined))
        kind = "number" if attribute.type in ("number", "scale") else "text"
        if op == "between":
            return document.compare(key, kind, lambda column: column.between(value[0], value[1]))
        return document.compare(key, kind, lambda column: getattr(column, _PYTHON_OPS[op])(value))

    @override
    def containment(self, arguments: tuple[ProfileAttribute, str, Any]) -> list[dict[str, Any]] | None:
        attribute, op, value = arguments
        key = attribute.key
        if op in ("eq", "declined"):
            return [{key: PREFER_NOT_TO_SAY if op == "declined" else value}]
        if op == "in":
            return [{key: item} for item in value]
        if op == "contains_any":
            return [{key: [item]} for item in value]
        if op == "contains_all":
            return [{key: list(value)}]
        steps = _steps(attribute)
        if steps is None or op not in (*COMPARISONS, "between", "ne"):
            return None
        return [{key: step} for step in steps if _compares(step, op, value)]

    @override
    def reads(self, arguments: tuple[ProfileAttribute, str, Any]) -> Iterator[str]:
        yield arguments[0].key


def _steps(attribute: ProfileAttribute) -> tuple[int, ...] | None:
    """The steps of a scale (1-5 unless said otherwise), or None for any other attribute.

    A comparison on a scale is then a choice among its steps ("4 or more" is 4 or 5), which the
    profile index answers. A value outside the scale's current steps (stored before its bounds
    changed) is not selected by a comparison.
    """
    if attribute.type != "scale":
        return None
    low, high = (int(bound) for bound in attribute.bounds)
    return tuple(range(low, high + 1)) if high - low < MAX_STEPS else None


def _compares(answer: Any, op: str, value: Any) -> bool:
    """Whether a stored `answer` meets the comparison, as the SQL comparison would decide."""
    if op == "ne":
        return answer != value
    if op == "between":
        return value[0] <= answer <= value[1]
    return getattr(answer, _PYTHON_OPS[op])(value)


def _value(attribute: ProfileAttribute, raw: Any, context: Context, *path: str | int) -> Any:
    if attribute.type == "date":
        return a_date(raw, context, *path).isoformat()
    try:
        value = attribute.clean(raw)
    except InvalidValue as invalid:
        raise Invalid(str(invalid), *path) from None
    if value is None or value == PREFER_NOT_TO_SAY:
        raise Invalid(_("Give the value to compare with."), *path)
    return value


def _values(attribute: ProfileAttribute, op: str, raw: Any, context: Context) -> list[Any]:
    if not isinstance(raw, list) or not raw or len(raw) > MAX_VALUES:
        raise Invalid(_("Give a list of 1 to %(count)d values.", count=MAX_VALUES), "value")
    if op == "between":
        if len(raw) != 2:
            raise Invalid(_("Give the lowest and the highest value."), "value")
        low, high = (_value(attribute, item, context, "value", index) for index, item in enumerate(raw))
        if low > high:
            raise Invalid(_("The lowest value comes first."), "value")
        return [low, high]
    if op in ("contains_any", "contains_all"):
        for index, item in enumerate(raw):
            if item not in attribute.option_values:
                raise Invalid(_("Choose one of the answers."), "value", index)
        return list(dict.fromkeys(raw))
    return list(
        dict.fromkeys(_value(attribute, item, context, "value", index) for index, item in enumerate(raw))
    )


class QuestionnaireAnswered(Predicate):
    """Every question of a questionnaire has an answer ("prefer not to say" too), optionally recently."""

    name = "answered"
    label = _l("Questionnaire answered")
    schema = {
        "type": "object",
        "properties": {
            "questionnaire": {"type": "string", "description": "The questionnaire's key."},
            "within_days": COUNT_SCHEMA_PROPERTIES["within_days"],
        },
        "required": ["questionnaire"],
        "additionalProperties": False,
    }

    @override
    def check(self, arguments: Any, context: Context) -> tuple[tuple[str, ...], Any]:
        arguments = fields(arguments, required=["questionnaire"], optional=["within_days"])
        key = text(arguments["questionnaire"], "questionnaire")
        questionnaire = next((q for q in questionnaires_for(context.tenant) if q.key == key), None)
        if questionnaire is None:
            raise Invalid(_("There is no such questionnaire."), "questionnaire")
        keys = tuple(k for k in questionnaire.attribute_keys if k in context.attributes)
        if not all(may_select_on(context, context.attributes[k]) for k in keys):
            raise Invalid(_("You may not select on this questionnaire."), "questionnaire")
        since = None
        if "within_days" in arguments:
            since = context.now - timedelta(
                days=whole_number(arguments["within_days"], "within_days", minimum=1)
            )
        return keys, since

    @override
    def compile(
        self, arguments: tuple[tuple[str, ...], Any], context: Context, scope: Any
    ) -> ColumnElement[bool]:
        keys, since = arguments
        document = document_sql(scope)
        answered = [not_(document.missing(key)) for key in keys]
        if since is not None:
            answered.append(
                exists().where(
                    ProfileChange.person_id == scope.person.id,
                    ProfileChange.attribute_key.in_(keys),
                    ProfileChange.changed_at >= since,
                )
            )
        return and_(*answered) if answered else false()

    @override
    def reads(self, arguments: tuple[tuple[str, ...], Any]) -> Iterator[str]:
        yield from arguments[0]


PREDICATES: tuple[Predicate, ...] = (AttributeValue(), QuestionnaireAnswered())


# --- The profile document in SQL, per dialect ----------------------------------------------------------


class DocumentSQL:
    """Conditions on one key of the profile document (NULL only when the person has no profile row)."""

    def __init__(self, values: Any) -> None:
        self.values = values

    def holds_one_of(self, documents: Sequence[dict[str, Any]]) -> ColumnElement[bool]:
        """The stored document contains one of `documents` (none: false)."""
        return or_(*(self.holds(document) for document in documents)) if documents else false()

    def holds(self, document: dict[str, Any]) -> ColumnElement[bool]:
        """The stored document contains `document`: each of its values, each option of its lists."""
        raise NotImplementedError

    def equals(self, key: str, value: Any) -> ColumnElement[bool]:
        """The stored value is `value`."""
        raise NotImplementedError

    def contains(self, key: str, options: Sequence[str]) -> ColumnElement[bool]:
        """The stored list holds every one of `options`."""
        raise NotImplementedError

    def missing(self, key: str) -> ColumnElement[bool]:
        """No value is stored (two-valued, also without a profile row)."""
        raise NotImplementedError

    def compare(self, key: str, kind: str, test: Any) -> ColumnElement[bool]:
        """`test(column)` on the stored number (`kind` number) or ISO date text (`kind` text)."""
        raise NotImplementedError


class PostgresDocument(DocumentSQL):
    """JSONB: containment for what the GIN index can answer, extraction for ranges."""

    @override
    def holds(self, document: dict[str, Any]) -> ColumnElement[bool]:
        return self.values.op("@>", is_comparison=True)(literal(document, JSONB))

    @override
    def equals(self, key: str, value: Any) -> ColumnElement[bool]:
        return self.holds({key: value})

    @override
    def contains(self, key: str, options: Sequence[str]) -> ColumnElement[bool]:
        return self.holds({key: list(options)})

    def _item(self, key: str) -> Any:
        return coerce(self.values, JSONB)[key]

    @override
    def missing(self, key: str) -> ColumnElement[bool]:
        return func.coalesce(func.jsonb_typeof(self._item(key)), "null") == "null"

    @override
    def compare(self, key: str, kind: str, test: Any) -> ColumnElement[bool]:
        item = self._item(key)
        if kind == "number":
            return case((func.jsonb_typeof(item) == "number", test(item.astext.cast(Numeric))), else_=false())
        is_date = and_(func.jsonb_typeof(item) == "string", item.astext != PREFER_NOT_TO_SAY)
        return case((is_date, test(item.astext)), else_=false())


class SQLiteDocument(DocumentSQL):
    """SQLite's JSON1 functions: json_type says what is stored, json_extract gives it as SQL."""

    @staticmethod
    def _path(key: str) -> Any:
        return literal(f'$."{key}"')

    def _type(self, key: str) -> Any:
        return func.json_type(self.values, self._path(key))

    def _extract(self, key: str) -> Any:
        return func.json_extract(self.values, self._path(key))

    @override
    def holds(self, document: dict[str, Any]) -> ColumnElement[bool]:
        return and_(
            *(
                self.contains(key, value) if isinstance(value, list) else self.equals(key, value)
                for key, value in document.items()
            )
        )

    @override
    def equals(self, key: str, value: Any) -> ColumnElement[bool]:
        if isinstance(value, bool):
            return self._type(key) == ("true" if value else "false")
        if isinstance(value, str):
            return and_(self._type(key) == "text", self._extract(key) == value)
        return and_(self._type(key).in_(("integer", "real")), self._extract(key) == value)

    @override
    def contains(self, key: str, options: Sequence[str]) -> ColumnElement[bool]:
        items = func.json_each(self.values, self._path(key)).table_valued("value", "type")
        found = (
            select(func.count(items.c.value.distinct()))
            .where(items.c.type == "text", items.c.value.in_(list(options)))
            .scalar_subquery()
        )
        return and_(self._type(key) == "array", found == len(set(options)))

    @override
    def missing(self, key: str) -> ColumnElement[bool]:
        return func.coalesce(self._type(key), "null") == "null"

    @override
    def compare(self, key: str, kind: str, test: Any) -> ColumnElement[bool]:
        if kind == "number":
            is_number = self._type(key).in_(("integer", "real"))
            return case((is_number, test(self._extract(key))), else_=false())
        is_date = and_(self._type(key) == "text", self._extract(key) != PREFER_NOT_TO_SAY)
        return case((is_date, test(self._extract(key))), else_=false())


def document_sql(scope: Any) -> DocumentSQL:
    """The document conditions for the scope's dialect."""
    return (PostgresDocument if scope.dialect == "postgresql" else SQLiteDocument)(scope.values)
