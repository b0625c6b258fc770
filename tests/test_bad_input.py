"""Bad input never breaks a page: every route, every method, as resident, administrator and team lead."""

import re

import pyotp

from tests.helpers import csrf_token, post_form

GARBAGE = {"x": "\x00\x00\x00", "email": "@@", "code": "abc", "value": "zz", "role": "king", "q": "%" * 300}


def logged_in(app, base, kind, email):
    client = app.test_client()
    if kind == "person":
        post_form(client, f"{base}/login/password", {"email": email, "password": "een wachtwoord"})
        return client, csrf_token(client.get(f"{base}/app/"))
    step = post_form(client, f"{base}/staff/login", {"email": email, "password": "een wachtwoord"})
    page = client.get(step.headers["Location"]).get_data(as_text=True)
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page).group(1)
    post_form(client, f"{base}/staff/login/enrol", {"code": pyotp.TOTP(secret).now()})
    return client, csrf_token(client.get(f"{base}/staff/login"))


def test_no_route_answers_garbage_with_a_server_error(app, create_tenant, create_person, create_staff):
    tenant = create_tenant(domains=["werk"])
    person = create_person(tenant, email="p@proef.nl", password="een wachtwoord")
    create_staff(tenant, role="tenant_admin", email="a@proef.nl", password="een wachtwoord")
    create_staff(tenant, role="team_lead", email="t@proef.nl", password="een wachtwoord", caseload=[person])
    base = f"/t/{tenant.slug}"
    failures = []
    for kind, email in (("person", "p@proef.nl"), ("staff", "a@proef.nl"), ("staff", "t@proef.nl")):
        client, token = logged_in(app, base, kind, email)
        for rule in app.url_map.iter_rules():
            path = re.sub(r"<[^>]+>", "x", re.sub(r"<uuid:[^>]+>", str(person), rule.rule))
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                for data in ({}, GARBAGE):
                    response = client.open(
                        base + path,
                        method=method,
                        data={**data, "csrf_token": token},
                        headers={"X-CSRFToken": token},
                    )
                    if response.status_code >= 500:
                        failures.append(f"{email} {method} {path}: {response.status_code}")
    assert failures == []
