"""The catalogue: checking items, upserting a feed, the library and its adoptions, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aandacht.db import session, utcnow
from aandacht.personalisation.catalogue import (
    ContentInvalid,
    ItemFields,
    item_by_id,
    retire_expired,
    save_item,
    upsert_items,
)
from aandacht.personalisation.library import LibraryFields, adopt, save_library_item
from aandacht.personalisation.models import ContentItem
from aandacht.segments.language import Viewer
from aandacht.segments.service import SegmentFields, SegmentInvalid, delete_segment, save_segment
from aandacht.tenancy.scoping import get_scoped
from tests.personalisation.conftest import JOB


def test_every_bad_field_is_named_and_nothing_is_saved(content_tenant, in_tenant):
    with in_tenant(content_tenant):
        with pytest.raises(ContentInvalid) as refused:
            save_item(
                ItemFields(
                    type=JOB.key,
                    title="",
                    link_url="javascript:alert(1)",
                    tags=["Sector zorg!"],
                    details={"hours": "veel", "colour": "red"},
                    language="de",
                    valid_from=utcnow(),
                    valid_until=utcnow() - timedelta(days=1),
                )
            )
        assert set(refused.value.errors) == {
            "title",
            "link_url",
            "tags",
            "details.hours",
            "details.colour",
            "language",
            "valid_until",
        }
        assert session.query(ContentItem).count() == 0
        with pytest.raises(ContentInvalid) as unknown:
            save_item(ItemFields(type="werk.vacancy", title="Geen werk-domein"))
        assert set(unknown.value.errors) == {"type"}


def test_a_saved_item_keeps_its_cleaned_values(content_tenant, in_tenant):
    with in_tenant(content_tenant):
        saved = save_item(
            ItemFields(
                type=JOB.key, title=" Kok ", tags=["Sector:horeca", "sector:horeca"], details={"hours": "32"}
            )
        )
        item = item_by_id(saved.id)
        assert (item.title, item.tags, dict(item.details), item.language) == (
            "Kok",
            ("sector:horeca",),
            {"hours": 32},
            "nl",
        )
        with pytest.raises(ContentInvalid):
            save_item(ItemFields(type="core.news"), item=get_scoped(ContentItem, saved.id))


def test_upsert_by_external_id_reports_each_row(content_tenant, in_tenant):
    with in_tenant(content_tenant):
        first = upsert_items(
            [
                ItemFields(type=JOB.key, title="Kok", external_id="v-1"),
                ItemFields(type=JOB.key, title="", external_id="v-2"),
                ItemFields(type=JOB.key, title="Schilder", external_id="v-3"),
                ItemFields(type=JOB.key, title="Dubbel", external_id="v-3"),
                ItemFields(type=JOB.key, title="Te lang", external_id="v" * 101),
            ]
        )
        assert [row.outcome for row in first] == ["created", "refused", "created", "refused", "refused"]
        assert set(first[4].errors) == {"external_id"}
        assert set(first[1].errors) == {"title"}
        again = upsert_items(
            [
                ItemFields(type=JOB.key, title="Kok", external_id="v-1"),
                ItemFields(type=JOB.key, title="Schilder (32 uur)", external_id="v-3"),
            ]
        )
        assert [row.outcome for row in again] == ["unchanged", "updated"]
        assert again[1].item_id == first[2].item_id
        assert sorted(item.title for item in session.query(ContentItem)) == ["Kok", "Schilder (32 uur)"]


def test_an_adopted_item_follows_the_library_except_where_the_tenant_wrote_its_own(content_tenant, in_tenant):
    with in_tenant(content_tenant):
        source = save_library_item(
            LibraryFields(key="tip-cv", type="core.news", title="Een goed cv", body="Kort en duidelijk.")
        )
        adopted = adopt(source)
        assert adopt(source).id == adopted.id  # adopting twice keeps one
        save_item(ItemFields(title="Ons cv-spreekuur"), item=adopted)
        save_library_item(
            LibraryFields(
                key="tip-cv", type="core.news", title="Een sterk cv", body="Begin met wat je kunt."
            ),
            item=source,
        )
        item = item_by_id(adopted.id)
        assert (item.title, item.body, item.overridden) == (
            "Ons cv-spreekuur",
            "Begin met wat je kunt.",
            {"title"},
        )
        with pytest.raises(ContentInvalid) as refused:
            save_item(ItemFields(tags=["eigen"]), item=adopted)
        assert set(refused.value.errors) == {"tags"}
        save_library_item(
            LibraryFields(key="tip-cv", type="core.news", title="Een sterk cv", status="withdrawn"),
            item=source,
        )
        assert item_by_id(adopted.id).status == "retired"


def test_expired_items_retire_themselves(content_tenant, job, in_tenant):
    with in_tenant(content_tenant):
        ended = job("Verlopen", valid_until=utcnow() - timedelta(minutes=1))
        running = job("Loopt nog", valid_until=utcnow() + timedelta(days=1))
        assert retire_expired() == 1
        assert (item_by_id(ended).status, item_by_id(ended).retired_reason) == ("retired", "expired")
        assert item_by_id(running).status == "published"
        assert retire_expired() == 0


def test_a_segment_that_content_needs_cannot_be_deleted(content_tenant, job, in_tenant):
    with in_tenant(content_tenant):
        segment = save_segment(
            SegmentFields(
                name="Zorg", predicate={"attribute": {"key": "tenant.sector", "op": "eq", "value": "zorg"}}
            ),
            Viewer.system(),
        )
        job("Alleen voor zorg", eligibility_segment_id=segment.id)
        with pytest.raises(SegmentInvalid) as refused:
            delete_segment(segment)
        assert "Alleen voor zorg" in refused.value.errors["segment"]
