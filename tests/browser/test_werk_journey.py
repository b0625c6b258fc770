"""In a real browser: the whole werk journey, from a job seeker's first taps to the coach's personal e-mail.

A job seeker answers question cards by tapping, sees matching vacancies with their short facts and
"why do I see this", saves one, applies and logs the application, has it read aloud, and asks her coach
to read her letter. Her coach sees her question, the activity, the worklist and her timeline, agrees a
number of applications a month, sends her a personal message that arrives by e-mail (her preferred
channel) at a local SMTP server, and registers her outcome. With AANDACHT_SCREENSHOT_DIR=docs/img the
steps are saved as the guide's pictures (docs/werk.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect
from sqlalchemy import update

from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person
from aandacht.app import create_app
from aandacht.db import session, utcnow
from aandacht.personalisation.catalogue import ItemFields, save_item
from aandacht.profiles.models import ProfileChange
from aandacht.profiles.service import profile_values, set_values
from aandacht.tenancy.context import tenant_context
from aandacht_werk import service as werk
from tests.browser.conftest import PHONE, Site, save_screenshot, serving, tenant_branding
from tests.browser.test_read_aloud import RECORDER
from tests.outreach.conftest import Mailbox, free_port

#: What the job seeker told in earlier weeks (the cards of those days).
EARLIER_ANSWERS = {
    "werk.search_status": "active",
    "werk.motivation_level": 4,
    "werk.motivations": ["income", "contact"],
    "werk.obstacles": ["transport"],
    "werk.help_wanted": ["letter", "interview"],
    "werk.goal": "Werken in een magazijn",
    "werk.start_date": date.today().isoformat(),
    "werk.hours_type": "full_time",
    "werk.sectors_wanted": ["logistics"],
    "core.preferred_channel": "email",
    "core.languages": ["nl", "en"],
    "werk.home_postcode": "7511 AB",
    "werk.travel_km": 20,
}
#: Today's three cards, answered by tapping: ready for work, 32 hours, Monday to Friday.
ANSWERS = {
    "werk.readiness": "5",
    "werk.hours_per_week": "32",
    "werk.days_available": ["mon", "tue", "wed", "thu", "fri"],
}
QUESTION = "Ik heb gesolliciteerd bij Bol. Wilt u mijn brief lezen?"
VACANCY = {"contract": "temporary", "sector": "logistics"}


@pytest.fixture
def mail_site(app_settings, app) -> Iterator[tuple[Site, Mailbox]]:
    """The platform sending e-mail to an SMTP server on 127.0.0.1, served on its own port; and the mailbox."""
    mailbox = Mailbox(port=free_port())
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    settings = {"SMTP_URL": f"smtp://127.0.0.1:{mailbox.port}", "MAIL_FROM": "Gemeente <werk@a.test>"}
    mail_app = create_app({**app_settings, **settings})
    try:
        with serving(mail_app) as base:
            yield Site(mail_app, base), mailbox
    finally:
        controller.stop()


def publish(site: Site, tenant) -> dict[str, str]:
    """The vacancies, a tip and a workshop of the tenant; their ids by title."""
    today = utcnow().date()
    items = [
        ItemFields(
            type="werk.vacancy",
            title="Orderpicker",
            summary="Je pakt bestellingen in een warm en licht magazijn.",
            details={
                **VACANCY,
                "employer": "Bol",
                "place": "Hengelo",
                "postcode": "7555",
                "hours": 32,
                "driving_licence": "b",
            },
            tags=[],
        ),
        ItemFields(
            type="werk.vacancy",
            title="Medewerker expeditie",
            summary="Je maakt pakketten klaar voor de bus.",
            details={
                **VACANCY,
                "employer": "Transport Twente",
                "place": "Enschede",
                "postcode": "7521",
                "hours": 24,
            },
        ),
        ItemFields(
            type="werk.tip",
            title="Zo maak je een cv",
            summary="Een korte video: je cv in vijf stappen.",
            details={"topic": "cv", "format": "video", "minutes": 5},
        ),
        ItemFields(
            type="werk.workshop",
            title="Oefenen met sollicitatiegesprekken",
            summary="Oefen een gesprek met een echte werkgever.",
            details={
                "topic": "interview",
                "date": (today + timedelta(days=9)).isoformat(),
                "place": "Enschede",
            },
        ),
    ]
    with site.app.test_request_context(), tenant_context(tenant):
        return {fields.title: str(save_item(fields).id) for fields in items}


def earlier_search(site: Site, tenant, person_id) -> None:
    """What the job seeker did in the months before: applications, one rejected, a network contact.

    Each is logged on the day it was done, as she would have.
    """
    today = utcnow().date()
    with site.app.test_request_context(), tenant_context(tenant):
        for days, kind in ((70, "network"), (40, "application"), (35, "application"), (33, "letter")):
            activity = werk.log_activity(person_id, kind, done_on=today - timedelta(days=days), commit=False)
            activity.created_at = datetime.combine(activity.done_on, time(17), tzinfo=UTC)
        session.commit()
        rejected = next(a for a in werk.activities_of(person_id) if a.kind == "application")
        werk.set_outcome(person_id, rejected.id, "rejected")


def answer_question_cards(page, check) -> None:
    """Tap the answers of ANSWERS on today's question cards, on the home page; `check` the quick answers."""
    to_answer = set(ANSWERS)
    while to_answer:
        card = page.get_by_test_id("question-card").first
        key = card.get_attribute("data-question")
        answer = ANSWERS.get(key)
        assert answer is not None, f"today's cards ask {key}, not one of {sorted(to_answer)}"
        if isinstance(answer, list):
            for value in answer:
                card.locator(f'input[value="{value}"]').check()
            card.get_by_role("button", name="Opslaan").click()
        else:
            if key == "werk.hours_per_week":
                check(page)
                save_screenshot(page, "werk-quick-answers.png")
            card.locator(f'button[name="value"][value="{answer}"]').click()
        to_answer.discard(key)
        # htmx swaps in the next card.
        page.wait_for_function(
            "key => document.querySelector('[data-testid=question-card]')?.dataset.question !== key", arg=key
        )


def test_a_job_seekers_journey_and_her_coachs_day(mail_site, browser, create_tenant, assert_accessible):
    site, mailbox = mail_site
    tenant = create_tenant(name="Gemeente Enschede", domains=["werk"], branding=tenant_branding("enschede"))
    anna = site.resident(tenant, "Anna de Vries")
    bram = site.resident(tenant, "Bram Bakker")
    coach = site.staff(tenant, "Carla Coach", "coach")
    site.caseload(tenant, coach, [anna, bram])
    ids = publish(site, tenant)
    now = utcnow()
    with site.app.test_request_context(), tenant_context(tenant):
        anna_id = accounts.person_by_email(anna).id
        bram_id = accounts.person_by_email(bram).id
        # Anna signed up five weeks ago and answered some questions (e-mail is how she wants to hear from
        # us); Bram has not been seen
        # for six weeks and is behind on his agreement.
        set_values(anna_id, EARLIER_ANSWERS, source="person", audience="person")
        session.execute(
            update(ProfileChange)
            .where(ProfileChange.person_id == anna_id)
            .values(changed_at=now - timedelta(days=30))
        )
        session.execute(
            update(Person).where(Person.id == anna_id).values(created_at=now - timedelta(days=35))
        )
        session.execute(
            update(Person)
            .where(Person.id == bram_id)
            .values(created_at=now - timedelta(days=90), last_active_at=now - timedelta(days=42))
        )
        werk.set_agreement(bram_id, per_month=4, starts_on=now.date() - timedelta(days=60), set_by=None)
    earlier_search(site, tenant, anna_id)

    # --- The job seeker, on her phone ------------------------------------------------------------------
    phone = browser.new_context(locale="nl-NL", viewport=PHONE)
    phone.set_default_timeout(10_000)
    page = phone.new_page()
    page.add_init_script(RECORDER)
    site.log_in_resident(page, tenant, anna)

    # She answers today's question cards by tapping: ready for work, 32 hours (one tap), weekdays.
    answer_question_cards(page, assert_accessible)
    with site.app.app_context(), tenant_context(tenant):
        values = profile_values(anna_id)
    assert (values["werk.readiness"], values["werk.hours_per_week"]) == (5, 32)
    assert values["werk.days_available"] == ANSWERS["werk.days_available"]

    # Her feed: the vacancies in logistics first, each with its short facts.
    page.goto(site.url(tenant, "/app/feed/"))
    card = page.locator(f'[data-item="{ids["Orderpicker"]}"]')
    facts = card.get_by_test_id("card-facts")
    expect(facts).to_contain_text("32 uur")
    expect(facts).to_contain_text("Rijbewijs nodig")
    expect(facts).to_contain_text("km")
    expect(
        page.locator(f'[data-item="{ids["Zo maak je een cv"]}"]').get_by_test_id("card-facts")
    ).to_contain_text("5 min")
    assert_accessible(page)
    save_screenshot(page, "werk-feed.png", full_page=True)

    # "Why do I see this?" in plain words.
    card.get_by_test_id("feed-why").locator("summary").click()
    why = card.get_by_test_id("feed-why")
    expect(why).to_contain_text("Hengelo is dicht bij uw huis: ongeveer 8 km.")
    expect(why).to_contain_text("U wilt fulltime werken.")
    card.scroll_into_view_if_needed()
    save_screenshot(page, "werk-why.png")

    # The card read aloud: its short facts are part of what is said.
    card.get_by_role("button", name="Lees dit voor").click()
    spoken = page.evaluate("window.spoken")[-1]
    assert "Orderpicker" in spoken and "32 uur" in spoken

    # Save it, apply, and log the application with one more tap.
    card.get_by_role("button", name="Bewaren voor later").click()
    expect(card.get_by_test_id("feed-saved")).to_be_visible()
    card.get_by_role("button", name="Solliciteren").click()
    expect(card).to_contain_text("U heeft gesolliciteerd.")
    card.get_by_role("link", name="Zet het bij mijn sollicitaties").click()
    expect(page.get_by_test_id("card-facts")).to_contain_text("32 uur")
    page.get_by_role("button", name="Ja, zet het erbij").click()
    logged = page.get_by_test_id("activity").first
    expect(logged).to_contain_text("Orderpicker (Bol)")
    expect(logged.get_by_test_id("activity-facts")).to_contain_text("Sollicitatie")
    assert_accessible(page)
    save_screenshot(page, "werk-log-application.png", full_page=True)
    logged.get_by_role("button", name="Lees dit voor").click()
    assert "Orderpicker" in page.evaluate("window.spoken")[-1]

    # She asks her coach to read her letter, in "Mijn coach".
    page.get_by_test_id("nav-conversation").click()
    page.wait_for_url(site.url(tenant, "/app/conversation/"))
    page.get_by_label("Of schrijf een bericht").fill(QUESTION)
    page.get_by_test_id("send").click()
    expect(page.locator(".flash")).to_contain_text("Verstuurd naar je coach.")
    expect(page.get_by_test_id("thread")).to_contain_text(QUESTION)
    assert_accessible(page)
    phone.close()

    # --- The coach, at her desk -------------------------------------------------------------------------
    desk = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 800})
    desk.set_default_timeout(10_000)
    page = desk.new_page()
    site.log_in_staff(page, tenant, coach)
    page.wait_for_url(site.url(tenant, "/workspace/"))
    worklist = page.get_by_test_id("worklist")
    expect(worklist).to_contain_text("Bram Bakker")
    expect(worklist).to_contain_text("Anna de Vries")
    expect(page.get_by_test_id("waiting-messages")).to_contain_text("Anna de Vries")
    assert_accessible(page)
    save_screenshot(page, "werk-worklist.png", full_page=True)

    # Anna's question is waiting in her conversation.
    page.goto(site.url(tenant, f"/workspace/people/{anna_id}/conversation"))
    expect(page.get_by_test_id("thread")).to_contain_text(QUESTION)

    # Anna's job search: the application she logged, an agreement, and the strategy over the months.
    page.goto(site.url(tenant, f"/workspace/werk/people/{anna_id}/search"))
    expect(page.get_by_text("Orderpicker").first).to_be_visible()
    page.get_by_label("Sollicitaties per maand").fill("4")
    page.get_by_role("button", name="Afspraak opslaan").click()
    expect(page.locator(".flash")).to_contain_text("De afspraak is opgeslagen.")
    with site.app.app_context(), tenant_context(tenant):
        status = werk.agreement_status([anna_id])[anna_id]
    assert (status.target, status.done) == (4, 1)
    assert_accessible(page)
    save_screenshot(page, "werk-agreement.png", full_page=True)

    # Her timeline: the application she logged today, her earlier search and the agreement.
    page.goto(site.url(tenant, f"/workspace/people/{anna_id}"))
    timeline = page.get_by_test_id("timeline-entries")
    expect(timeline.get_by_test_id("entry-werk.activities").first).to_contain_text(
        "Sollicitatie: Orderpicker, Bol"
    )
    expect(timeline.get_by_test_id("entry-werk.agreements")).to_contain_text("Afspraak: 4 per maand")
    assert_accessible(page)
    page.locator("#timeline").scroll_into_view_if_needed()
    save_screenshot(page, "werk-timeline.png", full_page=True)

    # A personal message: it goes by e-mail, the channel Anna prefers.
    page.goto(site.url(tenant, f"/workspace/people/{anna_id}/messages"))
    page.get_by_label("Onderwerp").fill("Goed bezig, Anna")
    page.get_by_label("Bericht", exact=True).fill(
        "Mooi dat je bij Bol hebt gesolliciteerd. Zullen we je brief samen bekijken?"
    )
    page.get_by_role("button", name="Versturen", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("Het bericht is onderweg: E-mail")
    [mail] = mailbox.to(anna)
    assert mail["Subject"] == "Goed bezig, Anna"
    assert "bij Bol hebt gesolliciteerd" in mail.get_body(("plain",)).get_content()

    # Weeks later: Anna found work that ends her benefit. The coach registers it with its date.
    page.goto(site.url(tenant, f"/workspace/people/{anna_id}/outcomes"))
    page.get_by_label("Werk of studie waardoor de uitkering stopt").check()
    page.get_by_label("Datum").fill(date.today().isoformat())
    page.locator('select[name="werk.work_ends_benefit--activity"]').select_option("work")
    page.locator('input[name="werk.work_ends_benefit--hours"]').fill("32")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_test_id("outcomes")).to_contain_text("Werk of studie waardoor de uitkering stopt")
    assert_accessible(page)
    save_screenshot(page, "werk-outcome.png", full_page=True)
    desk.close()


FEED = (
    "external_id,title,employer,place,hours,contract,sector,closing_date\n"
    "V1,Orderpicker,Bol,Hengelo,32,temporary,logistics,{later}\n"
    "V2,Kok,De Zwaan,Enschede,veertig,permanent,hospitality,\n"
    "V3,Schoonmaker,Schoon BV,Almelo,20,on_call,cleaning,{later}\n"
)


def test_the_administrator_imports_the_vacancy_feed_and_reads_the_report(
    site, page, create_tenant, assert_accessible
):
    tenant = create_tenant(name="Gemeente Enschede", domains=["werk"], branding=tenant_branding("enschede"))
    admin = site.staff(tenant, "Ali Beheer", "tenant_admin")
    site.log_in_staff(page, tenant, admin)
    page.goto(site.url(tenant, "/workspace/werk/vacancy-feed"))
    later = (utcnow().date() + timedelta(days=30)).isoformat()
    page.get_by_label("Bestand (.csv of .json)").set_input_files(
        {"name": "vacatures.csv", "mimeType": "text/csv", "buffer": FEED.format(later=later).encode()}
    )
    page.get_by_role("button", name="Importeren").click()
    report = page.get_by_test_id("report")
    expect(report).to_contain_text("Orderpicker")
    expect(report).to_contain_text("Geweigerd")
    expect(page.get_by_test_id("totals")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "werk-vacancy-feed.png", full_page=True)
