"""Progressive profiling: which questions come next, and what an answer, "not now" or "prefer not" does."""

from datetime import UTC, datetime, timedelta

import pytest

from aandacht.plugins import Domain
from aandacht.profiles import questions
from aandacht.profiles.definitions import PREFER_NOT_TO_SAY, ProfileAttribute, Questionnaire
from aandacht.profiles.questions import Ask, askable_questions, choose_questions
from aandacht.profiles.service import ProfileInvalid, completeness, history, profile_values
from aandacht.profiles.signals import attribute_demand
from aandacht.tenancy.context import tenant_context

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def attribute(key, type_="text", **extra):
    return ProfileAttribute(key=key, label=key, type=type_, **extra)


ATTRIBUTES = {key: attribute(key) for key in ("q.a", "q.b", "q.c", "q.d", "q.e", "q.f", "q.g", "q.h")}


def keys(chosen):
    return [question.key for question in chosen]


def choose(questionnaires, answered=(), history=(), now=NOW, attributes=None, **options):
    asked = askable_questions(questionnaires, attributes or ATTRIBUTES)
    return keys(choose_questions(asked, answered, history, now=now, **options))


LOW = Questionnaire(key="q.low", title="low", attribute_keys=("q.a", "q.b", "q.c"), priority=10)
HIGH = Questionnaire(key="q.high", title="high", attribute_keys=("q.d", "q.e", "q.f"), priority=90)


def test_the_highest_priority_comes_first_then_the_questionnaires_order():
    assert choose([LOW, HIGH]) == ["q.d", "q.e", "q.f"]
    assert choose([LOW, HIGH], limit=1) == ["q.d"]
    assert choose([LOW]) == ["q.a", "q.b", "q.c"]


def test_what_the_engines_need_most_comes_before_priority():
    demand = {"q.b": 30, "q.c": 10}
    asked = askable_questions([LOW, HIGH], ATTRIBUTES, demand)
    assert keys(asked)[:3] == ["q.b", "q.c", "q.d"]


def test_the_demand_signal_reaches_the_engine(app, question_tenant, create_person):
    def segments_need_hours(_sender, **kwargs):
        assert kwargs["tenant"].slug == question_tenant.slug
        return {"qtest.hours": 60}

    attribute_demand.connect(segments_need_hours)
    try:
        person = create_person(question_tenant)
        with app.test_request_context(), tenant_context(question_tenant):
            assert keys(questions.next_questions_for(person, now=NOW))[0] == "qtest.hours"
    finally:
        attribute_demand.disconnect(segments_need_hours)


def test_never_asked_comes_before_asked_long_ago():
    long_ago = [Ask("q.d", NOW - 30 * DAY, "shown"), Ask("q.e", NOW - 20 * DAY, "shown")]
    assert choose([LOW, HIGH], history=long_ago) == ["q.f", "q.a", "q.b"]
    # Among questions asked before, the one asked longest ago first.
    everything = [Ask(key, NOW - (10 + i) * DAY, "shown") for i, key in enumerate(("q.a", "q.b", "q.c"))]
    assert choose([LOW], history=everything) == ["q.c", "q.b", "q.a"]


def test_the_cards_of_the_current_round_stay_put():
    shown = [Ask("q.a", NOW - timedelta(hours=2), "shown")]
    assert choose([LOW, HIGH], history=shown, limit=1) == ["q.a"]


def test_an_answered_attribute_is_not_asked_again_and_prefer_not_to_say_counts():
    assert choose([HIGH], answered={"q.d", "q.e"}) == ["q.f"]
    assert choose([HIGH], answered={"q.d", "q.e", "q.f"}) == []


def test_not_now_is_respected_for_14_days_then_asked_again():
    skipped = [Ask("q.d", NOW - 13 * DAY, "not_now")]
    assert "q.d" not in choose([HIGH], history=skipped)
    skipped = [Ask("q.d", NOW - 15 * DAY, "not_now")]
    assert choose([HIGH], history=skipped) == ["q.e", "q.f", "q.d"]  # after the never asked ones


def test_at_most_three_a_day_then_a_day_of_rest():
    one = [Ask("q.d", NOW - timedelta(hours=1), "answered")]
    assert choose([LOW, HIGH], answered={"q.d"}, history=one) == ["q.e", "q.f"]
    three = [
        Ask(key, NOW - timedelta(hours=h), "answered") for key, h in (("q.d", 3), ("q.e", 2), ("q.f", 1))
    ]
    done = {"q.d", "q.e", "q.f"}
    assert choose([LOW, HIGH], answered=done, history=three) == []
    # Skipping counts as an action too.
    skips = [Ask(key, NOW - timedelta(hours=1), "not_now") for key in ("q.a", "q.b", "q.c")]
    assert choose([LOW, HIGH], history=skips) == []
    # The next round starts a full day after the last action of a round.
    assert choose([LOW, HIGH], answered=done, history=three, now=NOW + timedelta(hours=22)) == []
    later = NOW - timedelta(hours=1) + DAY + timedelta(minutes=1)
    assert choose([LOW, HIGH], answered=done, history=three, now=later) == ["q.a", "q.b", "q.c"]


def test_a_shown_card_does_not_use_the_budget():
    shown = [Ask(key, NOW - timedelta(hours=1), "shown") for key in ("q.d", "q.e", "q.f")]
    assert choose([HIGH], history=shown) == ["q.d", "q.e", "q.f"]


def test_only_what_the_person_may_edit_is_asked():
    attributes = {
        **ATTRIBUTES,
        "q.a": attribute("q.a", editable_by=frozenset({"coach"})),
        "q.b": attribute("q.b", editable_by=frozenset({"system"})),
    }
    assert choose([LOW], attributes=attributes) == ["q.c"]


def test_keys_the_tenant_does_not_know_are_ignored():
    partly = Questionnaire(key="q.x", title="x", attribute_keys=("q.unknown", "q.g", "other.h"), priority=50)
    assert choose([partly]) == ["q.g"]
    twice = Questionnaire(key="q.y", title="y", attribute_keys=("q.d",), priority=99)
    asked = askable_questions([HIGH, twice], ATTRIBUTES)
    assert [(q.key, q.questionnaire.key) for q in asked] == [
        ("q.d", "q.y"),
        ("q.e", "q.high"),
        ("q.f", "q.high"),
    ]


# --- With the database: a domain with a questionnaire of every type -------------------------------------


class QuestionDomain(Domain):
    """A test domain that asks one question of each type."""

    name = "qtest"

    def profile_attributes(self):
        return [
            ProfileAttribute(
                key="qtest.transport",
                label="How do you travel?",
                type="choice",
                options=(("bike"), ("car")),
                icon="bike",
            ),
            ProfileAttribute(key="qtest.licence", label="Do you have a driving licence?", type="boolean"),
            ProfileAttribute(key="qtest.energy", label="How much energy do you have?", type="scale"),
            ProfileAttribute(
                key="qtest.hobbies", label="Hobbies?", type="multiple_choice", options=("music", "sport")
            ),
            ProfileAttribute(key="qtest.hours", label="Hours a week?", type="number", minimum=0, maximum=40),
            ProfileAttribute(key="qtest.since", label="Since when?", type="date"),
            ProfileAttribute(key="qtest.dream", label="Your dream job?", type="text", max_length=20),
            ProfileAttribute(
                key="qtest.coach_note",
                label="Coach's note",
                type="text",
                editable_by=frozenset({"coach"}),
            ),
        ]

    def questionnaires(self):
        return [
            Questionnaire(
                key="qtest.all",
                title="All",
                attribute_keys=(
                    "qtest.transport",
                    "qtest.licence",
                    "qtest.energy",
                    "qtest.hobbies",
                    "qtest.hours",
                    "qtest.since",
                    "qtest.dream",
                    "qtest.coach_note",
                    "qtest.missing",
                ),
                priority=95,
            )
        ]


@pytest.fixture
def question_tenant(app, create_tenant, monkeypatch):
    """A tenant that enables the test domain (known to the app for this test only)."""
    monkeypatch.setitem(app.extensions["aandacht.domains"].domains, "qtest", QuestionDomain())
    return create_tenant(domains=["qtest"])


def test_the_engine_reads_the_tenants_questionnaires_and_history(app, question_tenant, create_person):
    person = create_person(question_tenant)
    with app.test_request_context(), tenant_context(question_tenant):
        first = questions.next_questions_for(person, now=NOW)
        assert keys(first) == ["qtest.transport", "qtest.licence", "qtest.energy"]
        asked = questions.person_questions()
        assert "qtest.coach_note" not in keys(asked) and "qtest.missing" not in keys(asked)
        assert keys(asked)[-2:] == ["core.preferred_channel", "core.languages"]  # priority 95 > 90
        # A reload later the same day shows the same cards, and writes no second "shown".
        assert keys(questions.next_questions_for(person, now=NOW + timedelta(hours=1))) == keys(first)
        assert [a.outcome for a in questions.ask_history(person)] == ["shown"] * 3

        questions.answer(person, "qtest.transport", "bike", now=NOW + timedelta(hours=2))
        questions.not_now(person, "qtest.licence", now=NOW + timedelta(hours=2))
        questions.prefer_not_to_say(person, "qtest.energy", now=NOW + timedelta(hours=2))
        assert profile_values(person) == {"qtest.transport": "bike", "qtest.energy": PREFER_NOT_TO_SAY}
        assert [(c.attribute_key, c.source) for c in history(person, "qtest.energy")] == [
            ("qtest.energy", "person")
        ]
        # Three actions: the round is over for a day.
        assert questions.next_questions_for(person, now=NOW + timedelta(hours=3)) == []
        nxt = questions.next_questions_for(person, now=NOW + timedelta(hours=2) + DAY + timedelta(minutes=1))
        assert keys(nxt) == ["qtest.hobbies", "qtest.hours", "qtest.since"]
        # Not now: back after 14 days; prefer not to say and answered: never again.
        much_later = NOW + 15 * DAY
        for key in ("qtest.hobbies", "qtest.hours", "qtest.since", "qtest.dream"):
            questions.prefer_not_to_say(person, key, now=NOW + 5 * DAY)
        remaining = keys(questions.next_questions_for(person, now=much_later))
        assert remaining == ["core.preferred_channel", "core.languages", "qtest.licence"]
        assert completeness(person) == (6, 9)


def test_a_bad_answer_stores_nothing(app, question_tenant, create_person):
    person = create_person(question_tenant)
    with app.test_request_context(headers={"Accept-Language": "nl"}), tenant_context(question_tenant):
        for key, raw in (
            ("qtest.hours", "veel"),
            ("qtest.transport", "plane"),
            ("qtest.dream", ""),
            ("qtest.coach_note", "x"),
            ("qtest.missing", "x"),
        ):
            with pytest.raises(ProfileInvalid) as refused:
                questions.answer(person, key, raw, now=NOW)
            assert refused.value.errors[key]
        assert profile_values(person) == {}
        assert questions.ask_history(person) == []
        with pytest.raises(questions.UnknownQuestion):
            questions.not_now(person, "qtest.coach_note", now=NOW)
