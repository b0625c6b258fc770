"""Read aloud: each card, each message and the whole page can be read aloud, and so can selected text.

The browser's voice is replaced by a recorder before the page loads, so the test hears what would be said.
"""

from __future__ import annotations

from playwright.sync_api import expect

from aandacht.accounts import service as accounts
from aandacht.personalisation.catalogue import ItemFields, save_item
from aandacht.tenancy.context import tenant_context
from tests.browser.conftest import tenant_branding

RECORDER = """
window.spoken = [];
const voice = {
  speaking: false, pending: false,
  getVoices() { return []; },
  cancel() { this.speaking = false; },
  speak(utterance) { window.spoken.push(utterance.text); this.speaking = true; },
};
Object.defineProperty(window, "speechSynthesis", {value: voice, configurable: true});
if (typeof SpeechSynthesisUtterance === "undefined") {
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
}
"""


def test_a_resident_has_a_card_read_aloud_or_only_what_they_selected(site, page, create_tenant):
    page.add_init_script(RECORDER)
    tenant = create_tenant(name="Gemeente Enschede", branding=tenant_branding("enschede"))
    email = site.resident(tenant, "Anna de Vries")
    with site.app.app_context(), tenant_context(tenant):
        accounts.person_by_email(email)
        item = save_item(
            ItemFields(type="core.news", title="Het wijkcentrum is open", summary="Kom langs voor koffie.")
        )
    site.log_in_resident(page, tenant, email)

    card = page.locator(f'[data-item="{item.id}"]')
    button = card.get_by_role("button", name="Lees dit voor")
    expect(button).to_be_visible()
    button.click()
    spoken = page.evaluate("window.spoken")
    assert len(spoken) == 1
    assert "Het wijkcentrum is open" in spoken[0] and "Kom langs voor koffie." in spoken[0]
    assert "Opslaan" not in spoken[0]  # the card's text, not its buttons
    expect(card.get_by_role("button", name="Stoppen met voorlezen")).to_have_attribute("aria-pressed", "true")
    card.get_by_role("button", name="Stoppen met voorlezen").click()
    expect(button).to_have_attribute("aria-pressed", "false")

    page.evaluate(
        """() => {
          const paragraphs = [...document.querySelectorAll('p')];
          const words = paragraphs.find(p => p.textContent === 'Kom langs voor koffie.');
          const range = document.createRange();
          range.selectNodeContents(words);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }"""
    )
    page.get_by_test_id("read-aloud").first.click()
    assert page.evaluate("window.spoken")[-1] == "Kom langs voor koffie."


def test_without_a_voice_no_read_aloud_button_shows(site, page, create_tenant):
    page.add_init_script("delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;")
    tenant = create_tenant(name="Gemeente Enschede", branding=tenant_branding("enschede"))
    email = site.resident(tenant, "Bram Smit")
    site.log_in_resident(page, tenant, email)
    expect(page.get_by_test_id("read-aloud").first).to_be_hidden()
