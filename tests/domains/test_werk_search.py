"""Job search: logging activities in a few taps, agreements, progress, reminders and the coach's view."""

import re
from datetime import UTC, date, datetime

import pytest

from aandacht.accounts.service import all_people
from aandacht.outreach.service import messages_of
from aandacht.personalisation import events
from aandacht.profiles.service import profile_values
from aandacht.tenancy.context import tenant_context
from aandacht_werk import service
from aandacht_werk.reminders import remind_behind
from tests.api.helpers import log_in
from tests.helpers import csrf_token

ENGLISH = {"Accept-Language": "en"}
DUTCH = {"Accept-Language": "nl"}
#: A day late in a month: the reminders run from the 8th on.
NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)


def press(client, page_url: str, action_url: str, data: dict, headers=ENGLISH):
    """Open a page and press one of its buttons (a form post with the page's token)."""
    token = csrf_token(client.get(page_url, headers=headers))
    return client.post(action_url, data={**data, "csrf_token": token}, headers=headers, follow_redirects=True)


def test_a_person_logs_an_application_for_a_saved_vacancy_in_two_taps(
    app, client, werk_tenant, create_person, vacancy
):
    person = create_person(werk_tenant)
    item_id = vacancy("Orderpicker")
    with app.test_request_context(), tenant_context(werk_tenant):
        events.record(person, [events.Interaction("save", item_id, {})])
    log_in(client, werk_tenant, "person", person)
    base = f"/t/{werk_tenant.slug}/app/search"
    home = client.get(f"{base}/", headers=ENGLISH).get_data(as_text=True)
    assert "I applied" in home and "I wrote a letter" in home
    pick = client.get(f"{base}/log/application", headers=ENGLISH).get_data(as_text=True)  # tap 1
    assert "Orderpicker (Bol)" in pick
    page = press(
        client, f"{base}/log/application", f"{base}/log", {"kind": "application", "item_id": item_id}
    )
    html = page.get_data(as_text=True)  # tap 2: logged, back on the search page
    assert "Saved. Good job!" in html
    [logged] = re.findall(
        r'<li class="feed-card" id="activity-[^"]+" data-testid="activity">(.*?)</li>\s*</ul>', html, re.S
    )
    short = re.sub(r"<[^>]+>|\s+", " ", logged)
    assert re.search(r"Application \d+ \w+ Waiting for an answer", " ".join(short.split()))
    assert "Orderpicker (Bol)" in html
    with app.test_request_context(), tenant_context(werk_tenant):
        [activity] = service.activities_of(person)
    assert (activity.kind, activity.sector, activity.outcome) == ("application", "logistics", "waiting")


def test_a_letter_is_one_tap_and_an_outcome_one_more(app, client, werk_tenant, create_person):
    person = create_person(werk_tenant)
    log_in(client, werk_tenant, "person", person)
    base = f"/t/{werk_tenant.slug}/app/search"
    press(client, f"{base}/", f"{base}/log", {"kind": "letter"})
    press(client, f"{base}/", f"{base}/log", {"kind": "application"})
    with app.test_request_context(), tenant_context(werk_tenant):
        kinds = sorted(activity.kind for activity in service.activities_of(person))
        application = next(a for a in service.activities_of(person) if a.kind == "application")
    assert kinds == ["application", "letter"]
    page = press(client, f"{base}/", f"{base}/{application.id}/outcome", {"outcome": "interview"})
    assert "Invited for an interview" in page.get_data(as_text=True)
    with app.test_request_context(), tenant_context(werk_tenant):
        assert service.search_activity_summary([person], date(2000, 1, 1))[person].outcomes == {
            "interview": 1
        }


def test_someone_else_cannot_touch_my_activities(app, client, werk_tenant, create_person):
    mine, theirs = create_person(werk_tenant), create_person(werk_tenant)
    with app.test_request_context(), tenant_context(werk_tenant):
        activity = service.log_activity(theirs, "application")
    log_in(client, werk_tenant, "person", mine)
    base = f"/t/{werk_tenant.slug}/app/search"
    token = csrf_token(client.get(f"{base}/"))
    assert (
        client.post(
            f"{base}/{activity.id}/outcome", data={"outcome": "hired", "csrf_token": token}
        ).status_code
        == 404
    )
    assert client.post(f"{base}/{activity.id}/remove", data={"csrf_token": token}).status_code == 404


def test_an_applied_vacancy_card_offers_to_log_it(app, client, werk_tenant, create_person, vacancy):
    person = create_person(werk_tenant)
    item_id = vacancy("Heftruckchauffeur")
    log_in(client, werk_tenant, "person", person)
    token = csrf_token(client.get(f"/t/{werk_tenant.slug}/app/settings"))
    card = client.post(
        f"/t/{werk_tenant.slug}/app/feed/{item_id}/apply",
        data={"csrf_token": token, "surface": "feed"},
        headers={**ENGLISH, "HX-Request": "true"},
    ).get_data(as_text=True)
    link = f"/t/{werk_tenant.slug}/app/search/from-vacancy/{item_id}"
    assert "Log it as an application" in card and link in card
    offer = client.get(link, headers=ENGLISH).get_data(as_text=True)
    assert "Did you apply for this job?" in offer and "Heftruckchauffeur" in offer


def test_progress_is_told_positively_against_the_agreement(app, client, werk_tenant, create_person):
    person = create_person(werk_tenant)
    today = datetime.now(UTC).date()
    with app.test_request_context(), tenant_context(werk_tenant):
        service.set_agreement(person, per_month=4, starts_on=today.replace(day=1), set_by=None)
        for _ in range(2):
            service.log_activity(person, "application")
        service.log_activity(person, "letter")
    log_in(client, werk_tenant, "person", person)
    base = f"/t/{werk_tenant.slug}/app/search"
    page = press(client, f"{base}/", f"{base}/log", {"kind": "application"})
    assert "You have done 3 of the 4 applications. Well done!" in page.get_data(as_text=True)
    dutch = client.get(f"{base}/", headers=DUTCH).get_data(as_text=True)
    assert "U heeft 3 van de 4 sollicitaties gedaan." in dutch


def test_agreement_status_counts_the_agreed_kind_from_its_start(app, werk_tenant, create_person):
    ahead, behind, done, none = (create_person(werk_tenant) for _ in range(4))
    today = NOW.date()
    with app.test_request_context(), tenant_context(werk_tenant):
        for person in (ahead, behind, done):
            service.set_agreement(person, per_month=4, starts_on=date(2026, 10, 1), set_by=None)
        for person, count in ((ahead, 3), (behind, 1), (done, 4)):
            for _ in range(count):
                service.log_activity(person, "application", done_on=date(2026, 11, 10), today=today)
        service.log_activity(behind, "letter", done_on=date(2026, 11, 10), today=today)
        service.log_activity(behind, "application", done_on=date(2026, 10, 30), today=today)
        status = service.agreement_status([ahead, behind, done, none], NOW)
    assert {person: s.state for person, s in status.items()} == {
        ahead: "on_track",
        behind: "behind",
        done: "done",
    }
    assert (status[behind].done, status[behind].target, status[behind].expected) == (1, 4, 2)


def test_a_new_agreement_replaces_the_old_one_and_can_end(app, werk_tenant, create_person):
    person = create_person(werk_tenant)
    with app.test_request_context(headers=ENGLISH), tenant_context(werk_tenant):
        service.set_agreement(person, per_month=4, starts_on=date(2026, 10, 1), set_by=None)
        service.set_agreement(person, per_month=6, starts_on=date(2026, 11, 1), set_by=None)
        assert service.agreement_status([person], NOW)[person].target == 6
        with pytest.raises(service.SearchInvalid) as refused:
            service.set_agreement(person, per_month=0, starts_on=date(2026, 11, 1), set_by=None)
        assert refused.value.errors == {"per_month": "Fill in a number from 1 to 40."}
        assert service.end_agreement(person, on=date(2026, 11, 15))
        assert service.agreement_status([person], NOW) == {}


def test_reminders_go_to_those_falling_behind_once_a_week(app, werk_tenant, create_person):
    behind = create_person(werk_tenant, email="achter@example.nl", locale="nl")
    on_track = create_person(werk_tenant, email="goed@example.nl")
    quiet = create_person(werk_tenant, email="stil@example.nl")
    today = NOW.date()
    with app.test_request_context(), tenant_context(werk_tenant):
        for person in (behind, on_track):
            service.set_agreement(person, per_month=4, starts_on=date(2026, 11, 1), set_by=None)
        service.set_agreement(quiet, per_month=4, starts_on=date(2026, 11, 1), reminders=False, set_by=None)
        service.log_activity(behind, "application", done_on=date(2026, 11, 5), today=today)
        for _ in range(3):
            service.log_activity(on_track, "application", done_on=date(2026, 11, 5), today=today)
    with app.app_context(), tenant_context(werk_tenant):  # as the daily job runs: no request
        assert remind_behind(NOW) == 1
        assert remind_behind(NOW.replace(day=21)) == 1  # the same week: the same message
        assert remind_behind(NOW.replace(day=3)) == 0  # early in the month: no pressure yet
        [message] = messages_of(behind)
        assert messages_of(on_track) == [] and messages_of(quiet) == []
    assert message.subject == "Solliciteren: u bent goed op weg"
    assert message.body.startswith("U heeft 1 van de 4 sollicitaties gedaan deze maand. Goed bezig!")


def test_the_coach_sets_an_agreement_and_sees_the_strategy(
    app, client, werk_tenant, create_person, create_staff
):
    person = create_person(werk_tenant)
    coach = create_staff(werk_tenant, caseload=[person])
    today = datetime.now(UTC).date()
    with app.test_request_context(), tenant_context(werk_tenant):
        service.log_activity(person, "application")
        service.log_activity(person, "network")
    log_in(client, werk_tenant, "staff", coach)
    profile = client.get(f"/t/{werk_tenant.slug}/workspace/people/{person}/profile", headers=ENGLISH)
    url = f"/t/{werk_tenant.slug}/workspace/werk/people/{person}/search"
    assert url in profile.get_data(as_text=True)
    page = press(client, url, url, {"per_month": "4", "starts_on": today.isoformat(), "reminders": "on"})
    html = page.get_data(as_text=True)
    assert "The agreement is saved." in html
    assert re.search(r"1 of 4 applications this month", html)
    assert "<svg" in html and 'data-kind="application"' in html
    row = re.search(rf'data-month="{today.replace(day=1).isoformat()}">(.*?)</tr>', html, re.S).group(1)
    assert '<td class="utrecht-table__cell" data-kind="application">1</td>' in row
    assert '<span data-kind="network">Network contact: 1</span>' in row
    bad = press(client, url, url, {"per_month": "99", "starts_on": today.isoformat()})
    assert "Fill in a number from 1 to 40." in bad.get_data(as_text=True)


def test_a_coach_sees_only_the_search_of_their_caseload_and_own_tenant(
    client, werk_tenant, create_tenant, create_person, create_staff
):
    mine, not_mine = create_person(werk_tenant), create_person(werk_tenant)
    coach = create_staff(werk_tenant, caseload=[mine])
    other = create_tenant(domains=["werk"])
    stranger = create_person(other)
    log_in(client, werk_tenant, "staff", coach)
    assert client.get(f"/t/{werk_tenant.slug}/workspace/werk/people/{mine}/search").status_code == 200
    assert client.get(f"/t/{werk_tenant.slug}/workspace/werk/people/{not_mine}/search").status_code == 404
    assert client.get(f"/t/{werk_tenant.slug}/workspace/werk/people/{stranger}/search").status_code == 404


def test_the_search_pages_answer_only_for_tenants_with_werk(client, create_tenant, create_person):
    without = create_tenant(domains=["sw"])
    person = create_person(without)
    log_in(client, without, "person", person)
    assert client.get(f"/t/{without.slug}/app/search/").status_code == 404


def test_the_summary_for_attention_signals_covers_many_people_at_once(
    app, werk_tenant, create_person, vacancy
):
    active, silent = create_person(werk_tenant), create_person(werk_tenant)
    care = vacancy("Helpende", sector="care")
    with app.test_request_context(), tenant_context(werk_tenant):
        service.log_activity(active, "application", item_id=care)
        service.log_activity(active, "application")
        service.log_activity(active, "training")
        summary = service.search_activity_summary([active, silent], date(2000, 1, 1))
    assert summary[silent].total == 0 and summary[silent].last_done_on is None
    assert (summary[active].total, summary[active].applications, summary[active].unanswered) == (3, 2, 2)
    assert summary[active].sectors == {"care": 1}


def test_the_demo_gives_job_search_once(app, runner, werk_tenant):
    assert runner.invoke(args=["demo", "load", "--tenant", werk_tenant.slug]).exit_code == 0
    with app.test_request_context(), tenant_context(werk_tenant):
        people = [person.id for person in all_people()]
        first = service.search_activity_summary(people, date(2000, 1, 1))
        agreements = service.agreement_status(people)
        postcodes = [profile_values(person).get("werk.home_postcode") for person in people]
    assert sum(summary.total for summary in first.values()) > 20
    assert agreements and all(postcodes)
    assert runner.invoke(args=["demo", "load", "--tenant", werk_tenant.slug]).exit_code == 0
    with app.test_request_context(), tenant_context(werk_tenant):
        again = service.search_activity_summary(people, date(2000, 1, 1))
    assert {p: s.total for p, s in again.items()} == {p: s.total for p, s in first.items()}
