"""Vacancies matched on travel distance, schooling and talent, with the reasons in plain words."""

import pytest

from aandacht.accounts.models import Person
from aandacht.personalisation.catalogue import ContentInvalid, ItemFields, save_item
from aandacht.personalisation.feed import TagLabels, feed, profile_tags
from aandacht.profiles.service import ProfileInvalid, set_values
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.scoping import get_scoped
from aandacht_werk.content import VACANCY
from aandacht_werk.matching import reach_km
from aandacht_werk.places import distance_km, place_named, place_of_postcode

ENGLISH = {"Accept-Language": "en"}
JOB = {"employer": "Bakkerij", "hours": 24, "contract": "temporary", "sector": "retail"}


@pytest.fixture
def werk_tenant(create_tenant):
    return create_tenant(domains=["werk"])


def answer(person, values):
    set_values(person, values, source="person", audience="person")


def test_postcodes_and_towns_have_a_place_and_distances_are_kilometres():
    assert place_of_postcode("7511 AB").name == "Enschede"
    assert place_of_postcode("7551").name == "Hengelo"
    assert place_of_postcode("1234 XY") is None
    assert place_of_postcode("hallo") is None
    # Enschede to Hengelo is about 8 km in a straight line, to Zwolle about 63.
    assert 6 < distance_km(place_named("Enschede"), place_named("Hengelo")) < 10
    assert 55 < distance_km(place_named("enschede"), place_named("Zwolle")) < 70


def test_the_reach_comes_from_kilometres_or_else_from_minutes_and_the_fastest_way():
    assert reach_km({"werk.travel_km": 15, "werk.travel_minutes": 60}) == 15
    assert reach_km({"werk.travel_minutes": 40, "werk.transport": ["bike"]}) == 10
    assert reach_km({"werk.travel_minutes": 40, "werk.transport": ["bike", "car"]}) == 32
    assert reach_km({"werk.transport": ["car"]}) is None


def test_towns_within_reach_fit_and_further_ones_do_not(app, werk_tenant, create_person):
    person = create_person(werk_tenant)
    with app.test_request_context(headers=ENGLISH), tenant_context(werk_tenant):
        answer(person, {"werk.home_postcode": "7511 AB", "werk.travel_km": 15})
        tags = profile_tags(person)
    assert tags["place:enschede"] == (1.0, "Enschede is close to your home: about 1 km.")
    assert tags["place:hengelo"] == (
        0.5,
        "Hengelo is about 8 km from your home. You want to travel up to 15 km.",
    )
    assert tags["place:almelo"][0] == -1.0, "a little too far"
    assert tags["place:zwolle"][0] == -2.0, "much too far"


def test_no_postcode_or_no_reach_means_no_distance_tags(app, werk_tenant, create_person):
    person = create_person(werk_tenant)
    with app.test_request_context(headers=ENGLISH), tenant_context(werk_tenant):
        answer(person, {"werk.travel_km": 15})
        assert not [tag for tag in profile_tags(person) if tag.startswith("place:")]
        with pytest.raises(ProfileInvalid):
            answer(person, {"werk.home_postcode": "Enschede"})


def test_schooling_and_talent_match_what_the_vacancy_asks(app, werk_tenant, create_person):
    person = create_person(werk_tenant)
    with app.test_request_context(headers=ENGLISH), tenant_context(werk_tenant):
        answer(person, {"werk.education_level": "mbo2", "werk.talents": ["hands"]})
        tags = profile_tags(person)
        labels = TagLabels()
        words = labels["education:mbo4"]
    assert tags["education:mbo2"] == (0.5, "You have the schooling this job asks for.")
    assert tags["education:vmbo"][0] > 0
    assert tags["education:mbo3"] == (-0.5, "This job asks for more schooling than you have now.")
    assert tags["education:hbo"][0] == -1.5
    assert tags["talent:hands"][0] > 0
    assert words == "mbo level 4"
    features = VACANCY.features([], {**JOB, "place": "Hengelo", "education_level": "mbo3", "talent": "hands"})
    assert {"education:mbo3", "talent:hands", "place:hengelo"} <= features


def test_a_postcode_of_a_vacancy_places_it_and_a_bad_one_is_refused(app, werk_tenant):
    assert "place:hengelo" in VACANCY.features([], {**JOB, "place": "Beckum", "postcode": "7556"})
    context = app.test_request_context(headers=ENGLISH)
    with context, tenant_context(werk_tenant), pytest.raises(ContentInvalid) as refused:
        save_item(ItemFields(type=VACANCY.key, title="X", details={**JOB, "place": "A", "postcode": "75"}))
    assert "Fill in a postcode like 7511 AB or 7511." in refused.value.errors.values()


def test_the_feed_puts_the_job_close_by_first_and_says_why(app, werk_tenant, create_person):
    person_id = create_person(werk_tenant)
    with app.test_request_context(headers=ENGLISH), tenant_context(werk_tenant):
        answer(person_id, {"werk.home_postcode": "7511", "werk.travel_km": 15})
        far = save_item(
            ItemFields(type=VACANCY.key, title="Verkoper Zwolle", details={**JOB, "place": "Zwolle"})
        )
        near = save_item(
            ItemFields(type=VACANCY.key, title="Verkoper Hengelo", details={**JOB, "place": "Hengelo"})
        )
        entries = feed(get_scoped(Person, person_id), limit=10)
    order = [entry.item.id for entry in entries]
    assert order.index(near.id) < order.index(far.id)
    reasons = next(entry.reasons for entry in entries if entry.item.id == near.id)
    assert "Hengelo is about 8 km from your home. You want to travel up to 15 km." in reasons
