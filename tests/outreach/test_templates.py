"""Message templates: rendering with profile fields and Babel, the sandbox, and what saving refuses."""

from __future__ import annotations

import uuid

import pytest

from aandacht.accounts.models import Person
from aandacht.accounts.principal import Principal
from aandacht.db import session
from aandacht.outreach import message_templates as templates
from aandacht.outreach import service
from aandacht.outreach.message_templates import TemplateFields, TemplateInvalid
from aandacht.outreach.models import MessageTemplate
from aandacht.outreach.sandbox import RenderFailed, render_text
from aandacht.outreach.sms_length import sms_length
from aandacht.profiles.service import set_values
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.scoping import get_scoped
from tests.segments.conftest import SELECTION_ATTRIBUTES


def staff(role: str = "coach", name: str = "Anna de Vries", staff_id: uuid.UUID | None = None) -> Principal:
    """A staff member as the service sees them."""
    return Principal(kind="staff", id=staff_id or uuid.uuid4(), tenant_id=None, role=role, display_name=name)


@pytest.fixture
def template_tenant(create_tenant):
    """A tenant with an attribute of every type, two of them special categories (health)."""
    return create_tenant(name="Gemeente Enschede", attributes=SELECTION_ATTRIBUTES)


@pytest.fixture
def filled_person(template_tenant, create_person, in_tenant):
    """A person with a value of every type."""
    person_id = create_person(template_tenant, display_name="Fatima El Amrani", email="fatima@example.nl")
    with in_tenant(template_tenant):
        set_values(
            person_id,
            {
                "tenant.city": "Enschede",
                "tenant.hours": 32.5,
                "tenant.available_from": "2026-03-12",
                "tenant.licence": True,
                "tenant.sector": "zorg",
                "tenant.languages": ["nl", "ar"],
            },
            source="system",
            audience="system",
        )
        set_values(
            person_id, {"tenant.energy": 2, "tenant.diagnosis": "geheim"}, source="person", audience="person"
        )
    return person_id


def render(tenant, in_tenant, person_id, *, channel="in_app", acting_user=None, **texts):
    """Render a template of `texts` for the person (as a coach unless told)."""
    texts.setdefault("language", "nl")
    with in_tenant(tenant):
        return templates.render_for(
            TemplateFields(name="t", **texts), person_id, channel=channel, acting_user=acting_user or staff()
        )


def problems(tenant, in_tenant, acting_user=None, **texts) -> dict[str, list[str]]:
    """What saving `texts` would refuse, per field."""
    texts.setdefault("name", "Test")
    texts.setdefault("language", "nl")
    with in_tenant(tenant):
        return templates.check_template(TemplateFields(**texts), acting_user=acting_user or staff())


# --- Rendering ----------------------------------------------------------------------------------------------


def test_a_template_prints_the_persons_fields_as_words_in_its_language(
    template_tenant, filled_person, in_tenant
):
    text = (
        "Hallo {{ person.first_name }} ({{ person.display_name }}) uit {{ profile['tenant.city'] }}.\n"
        "Sector: {{ profile['tenant.sector'] }}; talen: {{ profile['tenant.languages'] }}; "
        "rijbewijs: {{ profile['tenant.licence'] }}.\n"
        "{{ coach.name }}, {{ tenant.name }}"
    )
    rendered = render(template_tenant, in_tenant, filled_person, in_app_text=text)
    assert rendered.body == (
        "Hallo Fatima (Fatima El Amrani) uit Enschede.\nSector: zorg; talen: nl, ar; rijbewijs: Ja.\n"
        "Anna de Vries, Gemeente Enschede"
    )
    english = render(template_tenant, in_tenant, filled_person, language="en", in_app_text=text)
    assert "rijbewijs: Yes." in english.body


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "12 maart 2026 | 1.235 | € 12,50 | 12-03-2026"),
        ("en", "March 12, 2026 | 1,235 | €12.50 | 3/12/26"),
    ],
)
def test_babel_filters_format_in_the_templates_language(
    template_tenant, filled_person, in_tenant, language, expected
):
    text = (
        "{{ profile['tenant.available_from']|format_date }} | "
        "{{ (profile['tenant.hours'] * 38)|format_number }} | "
        "{{ 12.5|format_currency }} | {{ profile['tenant.available_from']|format_date('short') }}"
    )
    rendered = render(template_tenant, in_tenant, filled_person, language=language, in_app_text=text)
    assert rendered.body.replace("\xa0", " ") == expected


def test_an_unanswered_field_is_empty_and_the_filters_leave_it_empty(
    template_tenant, create_person, in_tenant
):
    person_id = create_person(template_tenant, display_name="Sem")
    text = "[{{ profile['tenant.city'] }}][{{ profile['tenant.available_from']|format_date }}]"
    text += "{% if not profile['tenant.hours'] %}geen uren{% endif %}"
    assert render(template_tenant, in_tenant, person_id, in_app_text=text).body == "[][]geen uren"


def test_the_email_html_escapes_the_persons_words_and_renders_the_templates_markdown(
    template_tenant, create_person, in_tenant
):
    person_id = create_person(template_tenant, display_name="<b>Evil</b> [klik](https://evil.example)")
    rendered = render(
        template_tenant,
        in_tenant,
        person_id,
        channel="email",
        email_subject="Hoi {{ person.first_name }}",
        email_body="**Welkom** {{ person.display_name }}",
    )
    assert rendered.subject == "Hoi <b>Evil</b>"
    assert rendered.body == "**Welkom** <b>Evil</b> [klik](https://evil.example)"  # the text part as written
    assert "<strong>Welkom</strong>" in rendered.html
    assert "&lt;b&gt;Evil&lt;/b&gt; [klik](https://evil.example)" in rendered.html
    assert "<a " not in rendered.html and "<b>" not in rendered.html


def test_a_special_category_field_is_never_rendered_for_a_role_that_may_not_see_it(
    template_tenant, filled_person, in_tenant
):
    text = "Energie: {{ profile['tenant.energy'] }}"
    assert render(template_tenant, in_tenant, filled_person, in_app_text=text).body == "Energie: 2"
    with pytest.raises(TemplateInvalid) as refused:
        render(template_tenant, in_tenant, filled_person, in_app_text=text, acting_user=staff("team_lead"))
    assert refused.value.errors == {
        "in_app_text": ["regel 1: uw rol mag het profielveld “tenant.energy” niet zien"]
    }
    with pytest.raises(TemplateInvalid):  # only the person sees a diagnosis
        render(template_tenant, in_tenant, filled_person, in_app_text="{{ profile['tenant.diagnosis'] }}")


# --- The sandbox --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ person.__class__ }}",
        "{{ profile['tenant.city'].__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ profile.__getitem__('tenant.diagnosis') }}",
        "{{ 'x' * 100000 }}",
        "{{ 10 ** 1000 }}",
        "{% set l = [1] %}{{ l.append(2) }}",
        "{{ 'x'|center(1000000000) }}",
        "{{ range(10) }}",
        "{% set ns = namespace(s='x') %}",
        "{% for a in 'ab' %}{% for b in 'ab' %}{% for c in 'ab' %}{{ c }}{% endfor %}{% endfor %}"
        "{% endfor %}",
    ],
)
def test_the_sandbox_refuses_unsafe_access_when_saving(template_tenant, in_tenant, text):
    found = problems(template_tenant, in_tenant, in_app_text=text)
    assert list(found) == ["in_app_text"]
    assert found["in_app_text"][0].startswith("regel 1: ")


def test_rendering_unsafe_access_fails_instead_of_printing(template_tenant, filled_person, in_tenant):
    with in_tenant(template_tenant):
        variables = templates.synthetic_variables("nl", staff())
    for text in ("{{ ''.__class__ }}", "{{ person.__class__.__mro__ }}", "{{ 'x' * 10**6 }}"):
        with pytest.raises(RenderFailed) as failed:
            render_text(text, variables)
        assert failed.value.problem.line == 1


# --- Refused at save time, with the line --------------------------------------------------------------------


def test_a_syntax_error_is_refused_with_its_line(template_tenant, in_tenant):
    found = problems(
        template_tenant, in_tenant, email_subject="Hallo", email_body="Hallo\n\n{{ person.first_name }"
    )
    assert list(found) == ["email_body"]
    assert found["email_body"][0].startswith("regel 3: de tekst is niet te lezen")


def test_unknown_fields_are_refused_with_their_lines(template_tenant, in_tenant):
    found = problems(
        template_tenant,
        in_tenant,
        sms_text="Hoi {{ person.first_name }}\n{{ voornaam }}\n{{ person.age }}\n"
        "{{ profile['tenant.nope'] }}",
    )
    assert found == {
        "sms_text": [
            "regel 2: er is geen veld “voornaam”; gebruik person, profile, tenant, coach of today",
            "regel 3: person heeft geen veld “age”; gebruik person.first_name, person.display_name",
            "regel 4: er is geen profielveld “tenant.nope”",
        ]
    }


def test_a_profile_field_must_be_named_in_quotes(template_tenant, in_tenant):
    found = problems(
        template_tenant,
        in_tenant,
        in_app_text="{% set p = profile %}\n{{ p['tenant.diagnosis'] }}{{ profile[x] }}",
    )
    assert found["in_app_text"][0].startswith("regel 1: noem één profielveld tussen aanhalingstekens")
    assert any(problem.startswith("regel 2: ") for problem in found["in_app_text"])


def test_render_errors_are_found_by_a_trial_render(template_tenant, in_tenant):
    found = problems(
        template_tenant,
        in_tenant,
        in_app_text="Hallo\n{{ 1 / 0 }}",
        push_title="Let op",
        push_body="{{ profile['tenant.city']|format_currency('euro') }}",
    )
    assert found == {
        "in_app_text": ["regel 2: delen door nul"],
        "push_body": ["regel 1: format_currency heeft een valutacode zoals EUR nodig, niet “euro”"],
    }


def test_the_reasons_are_in_the_requests_language(app, template_tenant):
    values = TemplateFields(name="Test", language="nl", in_app_text="{{ onbekend }}")
    with app.test_request_context(headers={"Accept-Language": "en"}), tenant_context(template_tenant):
        found = templates.check_template(values, acting_user=staff())
    assert found["in_app_text"] == [
        "line 1: there is no field “onbekend”; use person, profile, tenant, coach or today"
    ]


def test_a_special_category_field_is_refused_for_a_writer_who_may_not_see_it(template_tenant, in_tenant):
    text = "{{ profile['tenant.energy'] }}"
    assert problems(template_tenant, in_tenant, in_app_text=text) == {}
    lead = problems(template_tenant, in_tenant, in_app_text=text, acting_user=staff("team_lead"))
    assert lead == {"in_app_text": ["regel 1: uw rol mag het profielveld “tenant.energy” niet zien"]}
    diagnosis = problems(template_tenant, in_tenant, in_app_text="{{ profile['tenant.diagnosis'] }}")
    assert "tenant.diagnosis" in diagnosis["in_app_text"][0]


def test_names_languages_lengths_and_channel_pairs_are_checked(template_tenant, in_tenant):
    assert problems(template_tenant, in_tenant, name=" ", language="de", sms_text="x") == {
        "name": ["Geef het sjabloon een naam."],
        "language": ["Kies een van de talen van de organisatie."],
    }
    assert problems(template_tenant, in_tenant) == {
        "in_app_text": ["Schrijf de tekst van minstens één kanaal."]
    }
    found = problems(template_tenant, in_tenant, email_body="Tekst", push_body="Tekst", sms_text="x" * 1601)
    assert found == {
        "email_subject": ["Nodig als de tekst eronder is ingevuld."],
        "push_title": ["Nodig als de tekst eronder is ingevuld."],
        "sms_text": ["Hoogstens 1600 tekens."],
    }


def test_saving_keeps_names_unique_in_any_case_and_refuses_without_writing(template_tenant, in_tenant):
    coach = staff()
    with in_tenant(template_tenant):
        saved = templates.save_template(
            TemplateFields(name="Banenmarkt", language="nl", in_app_text="Hoi"), acting_user=coach
        )
        assert (saved.created_by, saved.changed_by) == (coach.id, coach.id)
        with pytest.raises(TemplateInvalid) as refused:
            templates.save_template(
                TemplateFields(name="BANENMARKT", language="nl", in_app_text="Hoi"), acting_user=coach
            )
        assert list(refused.value.errors) == ["name"]
        with pytest.raises(TemplateInvalid):
            templates.save_template(
                TemplateFields(name="Banenmarkt", language="nl", in_app_text="{{ x"),
                acting_user=coach,
                template=saved,
            )
        session.rollback()
        assert get_scoped(MessageTemplate, saved.id).in_app_text == "Hoi"
        changed = templates.save_template(
            TemplateFields(name="banenmarkt", language="en", in_app_text="Hi"),
            acting_user=coach,
            template=saved,
        )
        assert (changed.name, changed.language) == ("banenmarkt", "en")


def test_another_tenants_template_is_not_found(template_tenant, create_tenant, in_tenant):
    other = create_tenant()
    with in_tenant(template_tenant):
        saved = templates.save_template(
            TemplateFields(name="Eigen", language="nl", in_app_text="Hoi"), acting_user=staff()
        )
    with in_tenant(other):
        assert templates.template_by_id(saved.id) is None
        assert templates.message_templates() == []


# --- Sending with a template --------------------------------------------------------------------------------


def test_send_to_person_renders_the_template_for_each_channel_and_falls_back_with_its_own_text(
    template_tenant, filled_person, in_tenant
):
    coach = staff()
    with in_tenant(template_tenant):
        template = templates.save_template(
            TemplateFields(
                name="Vacature",
                language="nl",
                email_subject="Werk in de {{ profile['tenant.sector'] }}",
                email_body="Hallo {{ person.first_name }},\n\nEr is werk voor u.",
                in_app_text="Er is werk in de {{ profile['tenant.sector'] }}, {{ person.first_name }}.",
            ),
            acting_user=coach,
        )
        message = service.send_to_person(
            filled_person,
            actor_id=coach.id,
            template=template,
            acting_user=coach,
            channels=["sms", "email", "in_app"],
        )
        assert message.channel == "email" and message.fallback == ["in_app"]  # no SMS text: not tried
        assert (message.subject, message.body) == ("Werk in de zorg", "Hallo Fatima,\n\nEr is werk voor u.")
        assert message.payload["template_id"] == str(template.id)
        fallback = service.fall_back(message)
        assert (fallback.channel, fallback.subject, fallback.body) == (
            "in_app",
            "Werk in de zorg",
            "Er is werk in de zorg, Fatima.",
        )
        session.rollback()


def test_the_delivered_email_has_the_templates_html_part(
    outreach_app, template_tenant, filled_person, mailbox
):
    coach = staff()
    with outreach_app.app_context(), tenant_context(template_tenant):
        template = templates.save_template(
            TemplateFields(
                name="Nieuws",
                language="nl",
                email_subject="Nieuws voor {{ person.first_name }}",
                email_body="**Belangrijk:** de markt is op "
                "{{ profile['tenant.available_from']|format_date }}.",
            ),
            acting_user=coach,
        )
        service.send_to_person(filled_person, actor_id=coach.id, template=template, acting_user=coach)
        session.commit()
    [mail] = mailbox.to("fatima@example.nl")
    assert mail["Subject"] == "Nieuws voor Fatima"
    html = mail.get_body(("html",)).get_content()
    assert "<strong>Belangrijk:</strong> de markt is op 12 maart 2026." in html
    assert "**Belangrijk:** de markt is op 12 maart 2026." in mail.get_body(("plain",)).get_content()


# --- SMS length ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "length", "parts"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),
        ("ş" * 70, "UCS-2", 70, 1),
        ("ş" * 71, "UCS-2", 71, 2),
        ("😀" * 35, "UCS-2", 70, 1),
        ("a" * 134 + "😀", "UCS-2", 136, 3),
    ],
)
def test_sms_length_counts_gsm7_and_ucs2_parts(text, encoding, length, parts):
    found = sms_length(text)
    assert (found.encoding, found.length, found.parts) == (encoding, length, parts)


def test_a_person_row_is_what_the_variables_read(template_tenant, filled_person, in_tenant):
    with in_tenant(template_tenant):
        person = get_scoped(Person, filled_person)
        variables = templates.variables_for(person, "nl", staff("team_lead"))
    assert "tenant.energy" not in variables["profile"] and "tenant.diagnosis" not in variables["profile"]
    assert variables["profile"]["tenant.city"] == "Enschede"


def test_the_example_of_the_coaches_page_renders_as_it_says(create_tenant, create_person, in_tenant):
    """docs/outreach-workspace.md: the job fair text message, for a werk person who wants to work in care."""
    tenant = create_tenant(name="Gemeente Enschede", domains=["werk"])
    person_id = create_person(tenant, display_name="Fatima El Amrani")
    with in_tenant(tenant):
        set_values(person_id, {"werk.sectors_wanted": ["care"]}, source="system", audience="system")
    text = (
        "Hoi {{ person.first_name }}, op 12 maart is er een banenmarkt in het stadhuis.\n"
        'Er zijn banen in: {{ profile["werk.sectors_wanted"] }}. Kom langs tussen 10 en 14 uur.\n'
        "Groet, {{ coach.name }}"
    )
    rendered = render(tenant, in_tenant, person_id, channel="sms", sms_text=text)
    assert rendered.body == (
        "Hoi Fatima, op 12 maart is er een banenmarkt in het stadhuis.\n"
        "Er zijn banen in: Zorg en welzijn. Kom langs tussen 10 en 14 uur.\n"
        "Groet, Anna de Vries"
    )
