"""`/api/v1/me/questions` and `/api/v1/me/answers`: progressive profiling for a resident's native app.

The same engine as the app's question cards (aandacht.profiles.questions): the next one to three
questions, each with what a client needs to draw it, and the profile's completeness; an answer, "not
now" or "prefer not to say" goes back as one body. Residents call with their login session (writes with
the CSRF header, as aandacht.api.access says).
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import g

from aandacht.accounts.permissions import Permission, requires
from aandacht.api.errors import fail
from aandacht.api.schemas import Integer, List, Schema, String
from aandacht.api.smorest import Blueprint, Resource
from aandacht.profiles import questions, service
from aandacht.profiles.definitions import PREFER_NOT_TO_SAY

blp = Blueprint(
    "api_questions",
    __name__,
    tag="Questions",
    description="A resident's next profile questions, and their answers.",
)


class QuestionOptionSchema(Schema):
    """One answer of a choice question."""

    value = String(required=True, metadata={"description": "What to send back as the answer."})
    label = String(required=True)
    icon = String(metadata={"description": "Tabler icon name; empty when none."})


class QuestionSchema(Schema):
    """One question about the person."""

    attribute = String(required=True, metadata={"description": "The attribute's key: send it back."})
    type = String(
        required=True,
        metadata={"description": "text, number, date, boolean, choice, multiple_choice or scale."},
    )
    label = String(required=True)
    help = String(metadata={"description": "One sentence that helps to answer; empty when none."})
    icon = String(metadata={"description": "Tabler icon name."})
    options = List(ma.fields.Nested(QuestionOptionSchema), metadata={"description": "For choice types."})
    minimum = ma.fields.Float(allow_none=True, metadata={"description": "Lowest number (number, scale)."})
    maximum = ma.fields.Float(
        allow_none=True, metadata={"description": "Highest number, or most choices of multiple_choice."}
    )
    questionnaire = String(required=True, metadata={"description": "The questionnaire that asks it."})


class QuestionCompletenessSchema(Schema):
    """How much of the profile the person has answered."""

    answered = Integer(required=True)
    total = Integer(required=True, metadata={"description": "The attributes the person may answer."})


class QuestionsSchema(Schema):
    """The questions to ask now (none when the person has had enough for today)."""

    items = List(ma.fields.Nested(QuestionSchema), required=True)
    prefer_not_to_say = String(
        required=True, metadata={"description": "The value that means 'prefer not to say'."}
    )
    completeness = ma.fields.Nested(QuestionCompletenessSchema, required=True)


class QuestionAnswerSchema(Schema):
    """An answer, a "not now" or a "prefer not to say" (send `value` `prefer_not_to_say`)."""

    attribute = String(required=True, metadata={"description": "The question's `attribute`."})
    value = ma.fields.Raw(
        allow_none=True,
        metadata={"description": "The answer in the question's type: a string, number, boolean or list."},
    )
    not_now = ma.fields.Boolean(
        load_default=False, metadata={"description": "true: skip it; it is not asked for 14 days."}
    )


def _question(question: questions.Question) -> dict[str, Any]:
    attribute = question.attribute
    low, high = attribute.bounds
    return {
        "attribute": attribute.key,
        "type": attribute.type,
        "label": str(attribute.label),
        "help": str(attribute.help or ""),
        "icon": attribute.icon,
        "options": [
            {"value": option.value, "label": str(option.label), "icon": option.icon}
            for option in attribute.options
        ],
        "minimum": low,
        "maximum": high if attribute.type != "multiple_choice" else attribute.maximum,
        "questionnaire": question.questionnaire.key,
    }


def _questions() -> dict[str, Any]:
    person_id = g.principal.id
    answered, total = service.completeness(person_id, "person")
    return {
        "items": [_question(question) for question in questions.next_questions_for(person_id)],
        "prefer_not_to_say": PREFER_NOT_TO_SAY,
        "completeness": {"answered": answered, "total": total},
    }


@blp.route("/me/questions")
class Questions(Resource):
    """The resident's next questions."""

    @requires(Permission.SELF)
    @blp.response(200, QuestionsSchema)
    def get(self) -> dict[str, Any]:
        """Get the next questions.

        One to three questions the person has not answered, chosen by the rules of docs/profiles.md
        ("Which questions come next"); none when the day's questions are done. With the profile's
        completeness.
        """
        return _questions()


@blp.route("/me/answers")
class Answers(Resource):
    """The resident's answers."""

    @requires(Permission.SELF)
    @blp.arguments(QuestionAnswerSchema)
    @blp.response(200, QuestionsSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Answer a question.

        `{"attribute": key, "value": ...}` stores the answer (`"value": "prefer_not_to_say"` when the
        person prefers not to say); `{"attribute": key, "not_now": true}` skips it for 14 days. A bad
        answer is refused with 422 and the reason under `errors.value`; nothing is stored then. Answers
        with the next questions.
        """
        key, person_id = body["attribute"], g.principal.id
        try:
            if body["not_now"]:
                questions.not_now(person_id, key)
            else:
                questions.answer(person_id, key, body.get("value"))
        except questions.UnknownQuestion as unknown:
            fail(422, "validation_failed", errors={"attribute": list(unknown.errors.values())})
        except service.ProfileInvalid as invalid:
            fail(422, "validation_failed", errors={"value": list(invalid.errors.values())})
        return _questions()
