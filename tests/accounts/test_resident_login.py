"""Residents log in by e-mail link or password, optionally with an SMS code; every refusal is clear."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from aandacht.accounts.models import LoginToken, Person
from aandacht.db import session, utcnow
from aandacht.tenancy.context import tenant_context
from tests.helpers import heading, latest_message, post_form

NL = {"Accept-Language": "nl"}


def link_from_mail(app, tenant) -> str:
    text = latest_message(app, tenant)["text"]
    return re.search(r"http://localhost(/t/\S+/login/link/\S+)", text).group(1)


def test_magic_link_logs_a_resident_in(app, client, tenant, create_person):
    create_person(tenant, display_name="Ans de Vries", email="Ans@Example.nl")
    sent = post_form(client, f"/t/{tenant.slug}/login", {"email": " ans@example.nl "})
    assert heading(sent) == "Kijk in uw e-mail"
    mail = latest_message(app, tenant)
    assert mail["to"] == "ans@example.nl"
    assert mail["subject"] == "Uw inloglink voor Gemeente Proef"
    link = link_from_mail(app, tenant)
    assert heading(client.get(link)) == "Inloggen"  # a confirmation page: mail scanners do not log in
    landed = post_form(client, link, {})
    assert landed.headers["Location"] == f"/t/{tenant.slug}/app/"
    assert heading(client.get(landed.headers["Location"])) == "Hallo Ans de Vries"


def test_an_unknown_address_gets_the_same_answer_and_no_mail(app, client, tenant):
    sent = post_form(client, f"/t/{tenant.slug}/login", {"email": "nobody@example.nl"})
    assert heading(sent) == "Kijk in uw e-mail"
    with pytest.raises(AssertionError, match="no email in the outbox"):
        latest_message(app, tenant)


def test_a_link_works_once(app, client, tenant, create_person):
    create_person(tenant, email="bo@example.nl")
    post_form(client, f"/t/{tenant.slug}/login", {"email": "bo@example.nl"})
    link = link_from_mail(app, tenant)
    post_form(client, link, {})
    other = app.test_client()
    refused = post_form(other, link, {}, headers=NL)
    assert refused.status_code == 400
    assert "Deze link of code is al gebruikt. Vraag een nieuwe aan." in refused.get_data(as_text=True)
    assert other.get(f"/t/{tenant.slug}/app/").status_code == 302


def test_an_expired_link_is_refused(app, client, tenant, create_person):
    create_person(tenant, email="cor@example.nl")
    post_form(client, f"/t/{tenant.slug}/login", {"email": "cor@example.nl"})
    with app.app_context(), tenant_context(tenant):
        session.execute(update(LoginToken).values(expires_at=utcnow() - timedelta(minutes=1)))
        session.commit()
    refused = post_form(client, link_from_mail(app, tenant), {})
    assert refused.status_code == 400
    assert "Deze link of code is te oud. Vraag een nieuwe aan." in refused.get_data(as_text=True)
    assert client.get(f"/t/{tenant.slug}/app/").status_code == 302


def test_a_link_of_another_tenant_does_nothing(app, client, tenant, create_tenant, create_person):
    other = create_tenant()
    create_person(tenant, email="dirk@example.nl")
    post_form(client, f"/t/{tenant.slug}/login", {"email": "dirk@example.nl"})
    foreign = link_from_mail(app, tenant).replace(f"/t/{tenant.slug}/", f"/t/{other.slug}/")
    refused = post_form(client, foreign, {})
    assert refused.status_code == 400
    assert client.get(f"/t/{other.slug}/app/").status_code == 302


def test_password_login_and_a_wrong_password(client, tenant, create_person):
    create_person(tenant, display_name="Eva", email="eva@example.nl", password="lang genoeg wachtwoord")
    wrong = post_form(
        client, f"/t/{tenant.slug}/login/password", {"email": "eva@example.nl", "password": "nope"}
    )
    assert wrong.status_code == 401
    assert "Dat lukte niet. Kijk wat u hebt ingevuld en probeer het opnieuw." in wrong.get_data(as_text=True)
    right = post_form(
        client,
        f"/t/{tenant.slug}/login/password",
        {"email": "eva@example.nl", "password": "lang genoeg wachtwoord"},
    )
    assert right.headers["Location"] == f"/t/{tenant.slug}/app/"


def test_five_wrong_passwords_lock_the_account_for_a_while(app, client, tenant, create_person):
    person_id = create_person(tenant, email="fleur@example.nl", password="het goede wachtwoord")
    url = f"/t/{tenant.slug}/login/password"
    for _ in range(5):
        post_form(client, url, {"email": "fleur@example.nl", "password": "fout"})
    locked = post_form(client, url, {"email": "fleur@example.nl", "password": "het goede wachtwoord"})
    assert locked.status_code == 401
    assert "Te vaak geprobeerd. U kunt het weer proberen om" in locked.get_data(as_text=True)
    with app.app_context(), tenant_context(tenant):
        session.execute(update(Person).where(Person.id == person_id).values(locked_until=utcnow()))
        session.commit()
    again = post_form(client, url, {"email": "fleur@example.nl", "password": "het goede wachtwoord"})
    assert again.status_code == 302


def test_sms_code_as_second_step(app, client, tenant, create_person):
    create_person(
        tenant,
        email="gijs@example.nl",
        password="wachtwoord van gijs",
        phone="+31612345678",
        sms_second_factor=True,
    )
    first = post_form(
        client,
        f"/t/{tenant.slug}/login/password",
        {"email": "gijs@example.nl", "password": "wachtwoord van gijs"},
    )
    assert first.headers["Location"] == f"/t/{tenant.slug}/login/code"
    assert client.get(f"/t/{tenant.slug}/app/").status_code == 302, "not logged in after the first step"
    sms = latest_message(app, tenant, "sms")
    assert sms["to"] == "+31612345678"
    code = re.search(r"\b(\d{6})\b", sms["text"]).group(1)
    wrong = post_form(
        client, f"/t/{tenant.slug}/login/code", {"code": "000000" if code != "000000" else "111111"}
    )
    assert wrong.status_code == 401
    right = post_form(client, f"/t/{tenant.slug}/login/code", {"code": code})
    assert right.headers["Location"] == f"/t/{tenant.slug}/app/"


def test_three_wrong_sms_codes_end_the_code(app, client, tenant, create_person):
    create_person(
        tenant,
        email="hans@example.nl",
        password="wachtwoord van hans",
        phone="+31600000000",
        sms_second_factor=True,
    )
    post_form(
        client,
        f"/t/{tenant.slug}/login/password",
        {"email": "hans@example.nl", "password": "wachtwoord van hans"},
    )
    code = re.search(r"\b(\d{6})\b", latest_message(app, tenant, "sms")["text"]).group(1)
    for guess in ("123456", "234567", "345678"):
        if guess != code:
            post_form(client, f"/t/{tenant.slug}/login/code", {"code": guess})
    late = post_form(client, f"/t/{tenant.slug}/login/code", {"code": code})
    assert late.status_code == 401
    assert client.get(f"/t/{tenant.slug}/app/").status_code == 302


def test_a_forged_csrf_token_is_refused_and_sends_nothing(app, client, tenant, create_person):
    create_person(tenant, email="ilse@example.nl")
    client.get(f"/t/{tenant.slug}/login")
    forged = client.post(f"/t/{tenant.slug}/login", data={"email": "ilse@example.nl", "csrf_token": "forged"})
    assert forged.status_code == 400
    assert heading(forged) == "Dat lukte niet"
    with pytest.raises(AssertionError, match="no email in the outbox"):
        latest_message(app, tenant)


def test_login_attempts_are_rate_limited(client, tenant):
    url = f"/t/{tenant.slug}/login/password"
    responses = [post_form(client, url, {"email": "x@example.nl", "password": "x"}) for _ in range(21)]
    assert [response.status_code for response in responses] == [401] * 20 + [429]
    assert heading(responses[-1]) == "Te vaak geprobeerd"
