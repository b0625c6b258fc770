"""The feed: eligibility, dismissals, explanations that match the score, learning, switching it off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from aandacht.db import session, utcnow
from aandacht.personalisation import feed
from aandacht.personalisation.catalogue import ItemFields, save_item
from aandacht.personalisation.events import Interaction, InteractionInvalid, record
from aandacht.personalisation.learning import learn
from aandacht.personalisation.models import ContentItem, InteractionEvent
from aandacht.segments.language import Viewer
from aandacht.segments.service import SegmentFields, save_segment
from aandacht.tenancy.scoping import get_scoped
from tests.personalisation.conftest import person

ZORG = {"attribute": {"key": "tenant.sector", "op": "eq", "value": "zorg"}}


def titles(entries) -> list[str]:
    return [entry.item.title for entry in entries]


def test_an_item_for_a_segment_reaches_only_its_people(content_tenant, resident, job, in_tenant):
    in_zorg, in_bouw = resident(sector="zorg"), resident(sector="bouw")
    with in_tenant(content_tenant):
        segment = save_segment(SegmentFields(name="Zorg", predicate=ZORG), Viewer.system())
        only_zorg = job("Alleen zorg", eligibility_segment_id=segment.id)
        job("Voor iedereen")
        assert set(titles(feed.feed(person(in_zorg)))) == {"Alleen zorg", "Voor iedereen"}
        assert titles(feed.feed(person(in_bouw))) == ["Voor iedereen"]
        assert feed.why(person(in_bouw), only_zorg) is None
        assert feed.why(person(in_zorg), only_zorg) is not None


def test_drafts_expired_and_other_languages_stay_out(content_tenant, resident, job, in_tenant):
    someone = resident()
    with in_tenant(content_tenant):
        job("Concept", status="draft")
        job("Verlopen", valid_until=utcnow() - timedelta(hours=1))
        job("Nog niet", valid_from=utcnow() + timedelta(days=2))
        job("In English", language="en")
        job("Zichtbaar")
        assert titles(feed.feed(person(someone))) == ["Zichtbaar"]
        english = person(someone)
        english.locale = "en"
        session.commit()
        assert set(titles(feed.feed(english))) == {"Zichtbaar", "In English"}


def test_a_dismissed_item_stays_away_even_after_a_long_time(content_tenant, resident, job, in_tenant):
    someone = resident()
    with in_tenant(content_tenant):
        unwanted = job("Niet voor mij")
        job("Wel")
        record(someone, [Interaction("dismiss", unwanted, occurred_at=utcnow() - timedelta(days=500))])
        assert titles(feed.feed(person(someone))) == ["Wel"]
        assert feed.why(person(someone), unwanted) is None
        switched = person(someone)
        switched.personalised = False
        session.commit()
        assert titles(feed.feed(switched)) == ["Wel"]
        assert feed.why(switched, unwanted) is None


def test_profile_fit_ranks_and_explains(content_tenant, resident, job, in_tenant):
    nurse = resident(sector="zorg", licence=False)
    with in_tenant(content_tenant):
        job("Bouwvakker", sector="bouw")
        job("Verzorgende", sector="zorg")
        job("Bezorger zorg", sector="zorg", details={"licence_needed": True})
        entries = feed.feed(person(nurse))
        assert titles(entries)[0] == "Verzorgende"
        assert titles(entries)[-1] == "Bezorger zorg"  # fits the sector, but needs a licence
        first = entries[0]
        assert first.reasons[0] == "U wilt werken in zorg."
        fit = next(part for part in first.ranked.parts if part.name == "fit")
        assert fit.value > 0 and fit.because == ("U wilt werken in zorg.",)
        assert first.ranked.score == pytest.approx(sum(part.value for part in first.ranked.parts))


def test_why_gives_the_reasons_and_score_of_the_feed(content_tenant, resident, job, in_tenant):
    nurse = resident(sector="zorg")
    with in_tenant(content_tenant):
        for number in range(5):
            job(f"Zorg {number}", sector="zorg")
            job(f"Horeca {number}", sector="horeca")
        for entry in feed.feed(person(nurse)):
            explained = feed.why(person(nurse), entry.item.id)
            assert explained.reasons == entry.reasons
            assert explained.ranked.score == pytest.approx(entry.ranked.score)


def test_what_a_person_opens_moves_similar_items_up(content_tenant, resident, job, in_tenant):
    someone = resident()
    with in_tenant(content_tenant):
        horeca = [job(f"Horeca {number}", sector="horeca") for number in range(4)]
        bouw = [job(f"Bouw {number}", sector="bouw") for number in range(4)]

        def mean_place(entries, ids):
            places = [index for index, entry in enumerate(entries) if entry.item.id in ids]
            return sum(places) / len(places)

        before = mean_place(feed.feed(person(someone)), set(bouw[2:]))
        record(someone, [Interaction(kind, item) for item in bouw[:2] for kind in ("open", "save")])
        record(someone, [Interaction("impression", item) for item in horeca for _ in range(4)])
        after_entries = feed.feed(person(someone))
        # The two building jobs not opened yet come first; the opened ones make room for them.
        assert set(titles(after_entries)[:2]) == {"Bouw 2", "Bouw 3"}
        assert mean_place(after_entries, set(bouw[2:])) <= before  # already on top by chance, or moved up
        assert mean_place(after_entries, set(bouw[2:])) < mean_place(after_entries, set(horeca))
        reasons = next(entry for entry in after_entries if entry.item.id == bouw[2]).reasons
        assert "U kijkt vaak naar dingen over bouw." in reasons


def test_switched_off_the_feed_is_newest_first_and_says_so(content_tenant, resident, job, in_tenant):
    nurse = resident(sector="zorg")
    with in_tenant(content_tenant):
        job("Oud, maar past", sector="zorg", days_old=10)
        job("Nieuwst", sector="bouw", days_old=0)
        job("Middel", sector="bouw", days_old=5)
        job("Vastgezet", days_old=30, pinned=True)
        assert titles(feed.feed(person(nurse)))[:2] == ["Vastgezet", "Oud, maar past"]
        switched = person(nurse)
        switched.personalised = False
        session.commit()
        entries = feed.feed(switched)
        assert titles(entries) == ["Vastgezet", "Nieuwst", "Middel", "Oud, maar past"]
        assert entries[0].reasons[0] == "Een coach heeft dit bovenaan gezet."
        assert entries[1].reasons == (
            "U heeft het kiezen voor u uitgezet. Daarom ziet u het nieuwste eerst.",
        )


def test_learning_counts_and_relates_items(content_tenant, resident, job, in_tenant):
    people = [resident() for _ in range(3)]
    with in_tenant(content_tenant):
        first, second, third = job("A"), job("B"), job("C")
        for someone in people:
            record(someone, [Interaction("impression", item) for item in (first, second, third)])
            record(someone, [Interaction("open", first), Interaction("save", second)])
        learned = learn()
        assert learned.neighbour_pairs == 2  # A <-> B, both ways; C was opened by no one
        stats = {item.title: (item.shown, item.engaged) for item in session.query(ContentItem)}
        assert stats == {"A": (3, 3), "B": (3, 3), "C": (3, 0)}
        newcomer = resident()
        record(newcomer, [Interaction("open", first)])
        entry = feed.why(person(newcomer), second)
        assert "Mensen die dezelfde dingen goed vonden als u, keken ook hiernaar." in entry.reasons


def test_recording_refuses_unknown_kinds_and_other_tenants_items(
    content_tenant, create_tenant, resident, job, in_tenant
):
    someone = resident()
    with in_tenant(content_tenant):
        mine = job("Mijn item")
    elsewhere = create_tenant()
    with in_tenant(elsewhere):
        theirs = save_item(ItemFields(type="core.news", title="Nieuws daar")).id
    with in_tenant(content_tenant):
        with pytest.raises(InteractionInvalid) as refused:
            record(
                someone, [Interaction("open", mine), Interaction("like", mine), Interaction("open", theirs)]
            )
        assert set(refused.value.errors) == {"1.kind", "2.item_id"}
        assert session.query(InteractionEvent).count() == 0
        assert record(someone, [Interaction("open", mine, {"surface": "home", "position": 1})]) == 1
        naive = (utcnow() - timedelta(hours=1)).replace(tzinfo=None)
        assert record(someone, [Interaction("open", mine, occurred_at=naive)]) == 1


def test_an_item_of_a_withdrawn_library_item_or_retired_one_leaves_the_feed(
    content_tenant, resident, job, in_tenant
):
    someone = resident()
    with in_tenant(content_tenant):
        gone = job("Weg")
        job("Blijft")
        item = get_scoped(ContentItem, gone)
        item.status = "retired"
        session.commit()
        assert titles(feed.feed(person(someone))) == ["Blijft"]


def test_bulk_events_are_one_insert(content_tenant, resident, job, in_tenant, app):
    someone = resident()
    with in_tenant(content_tenant):
        items = [job(f"Item {number}") for number in range(20)]
        statements = []
        engine = session.get_bind()
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            record(someone, [Interaction("impression", item) for item in items])
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        inserts = [statement for statement in statements if statement.lstrip().upper().startswith("INSERT")]
        assert len(inserts) == 1
        assert session.query(InteractionEvent).count() == 20
