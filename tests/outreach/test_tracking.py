"""Opens and clicks of campaign e-mails: only where the tenant allows it, signed, without personal data."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from aandacht.accounts.principal import Principal
from aandacht.outreach import campaigns
from aandacht.outreach.campaigns import CampaignFields
from aandacht.tenancy.context import tenant_context

TEXTS = {"email": {"subject": "Vacature", "body": "Er is een baan bij de bibliotheek."}}
LINK = "https://werk.example.org/vacature/42"


def send(app, tenant, lead) -> object:
    """A campaign with a link to everyone, sent now; its id."""
    principal = Principal(kind="staff", id=lead, tenant_id=tenant.id, role="team_lead")
    with app.app_context(), tenant_context(tenant):
        campaign = campaigns.save_campaign(
            CampaignFields(name="Vacature", audience_kind="everyone", texts=TEXTS, link=LINK),
            acting_user=principal,
        )
        campaigns.release(campaign, acting_user=principal)
        return campaign.id


def html_of(mail) -> str:
    """The HTML part of a mail."""
    return mail.get_body(preferencelist=("html",)).get_content()


def test_opens_and_clicks_are_counted_where_the_tenant_tracks(
    outreach_app, create_tenant, create_person, create_staff, mailbox
):
    tenant = create_tenant(outreach={"tracking": True})
    create_person(tenant, email="lisa@example.nl")
    campaign_id = send(outreach_app, tenant, create_staff(tenant, role="team_lead"))
    html = html_of(mailbox.accepted[0])
    image = re.search(r'<img src="([^"]+/open\.gif)"', html).group(1)
    click = re.search(r'<a href="([^"]+/go)"', html).group(1)
    assert "lisa" not in image and "example.nl" not in click  # no personal data in the addresses
    client = outreach_app.test_client()
    answer = client.get(urlsplit(image).path)
    assert (answer.status_code, answer.mimetype) == (200, "image/gif")
    followed = client.get(urlsplit(click).path)
    assert (followed.status_code, followed.headers["Location"]) == (302, LINK)
    assert client.get(urlsplit(click).path.replace("/m/", "/m/x")).status_code == 404  # tampered
    with outreach_app.app_context(), tenant_context(tenant):
        found = campaigns.results(campaigns.campaign_by_id(campaign_id))
    assert (found.opened, found.clicked) == (1, 1)


def test_without_the_switch_nothing_is_tracked(
    outreach_app, create_tenant, create_person, create_staff, mailbox
):
    tenant = create_tenant()
    create_person(tenant, email="mo@example.nl")
    send(outreach_app, tenant, create_staff(tenant, role="team_lead"))
    html = html_of(mailbox.accepted[0])
    assert "open.gif" not in html and f'href="{LINK}"' in html
