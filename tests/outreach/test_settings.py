"""The outreach settings: read from the environment, checked at start with a clear message."""

from __future__ import annotations

import pytest

from aandacht.config import ConfigError, load_settings
from aandacht.testing.pytest_plugin import base_settings


@pytest.fixture
def settings_with(tmp_path):
    """`settings_with(**variables)`: the settings of a test environment plus these variables."""
    return lambda **variables: load_settings({**base_settings(tmp_path), **variables}, default_root=tmp_path)


def test_without_outreach_settings_messages_go_to_the_outbox_and_there_is_no_web_push(settings_with):
    settings = settings_with()
    assert (settings.smtp_url, settings.sms_gateway_url, settings.vapid_private_key) == (None, None, None)
    assert (settings.sms_sender, settings.send_timeout, settings.public_url) == (
        "Aandacht",
        10.0,
        "http://127.0.0.1:5000",
    )


def test_the_outreach_settings_are_read(settings_with):
    settings = settings_with(
        SMS_GATEWAY_URL="https://abcde.api.infobip.com/",
        SMS_API_KEY="secret",
        SMS_SENDER="Enschede",
        VAPID_PRIVATE_KEY="private",
        VAPID_PUBLIC_KEY="public",
        VAPID_SUBJECT="mailto:beheer@example.org",
        AANDACHT_SEND_TIMEOUT="2.5",
        AANDACHT_PUBLIC_URL="https://aandacht.example.org",
    )
    assert settings.sms_gateway_url == "https://abcde.api.infobip.com"
    assert (settings.sms_api_key, settings.sms_sender, settings.send_timeout) == ("secret", "Enschede", 2.5)
    assert (settings.vapid_private_key, settings.vapid_public_key) == ("private", "public")
    assert settings.public_url == "https://aandacht.example.org"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"SMS_GATEWAY_URL": "api.infobip.com"},
            "Setting SMS_GATEWAY_URL is invalid: 'api.infobip.com' is not an http:// or https:// address.",
        ),
        (
            {"VAPID_PRIVATE_KEY": "private"},
            "Setting VAPID_PUBLIC_KEY is invalid: web push needs VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY and "
            "VAPID_SUBJECT.",
        ),
        (
            {"VAPID_PRIVATE_KEY": "a", "VAPID_PUBLIC_KEY": "b", "VAPID_SUBJECT": "beheer"},
            "Setting VAPID_SUBJECT is invalid: must be a mailto: or https:// address of the operator.",
        ),
        (
            {"AANDACHT_SEND_TIMEOUT": "soon"},
            "Setting AANDACHT_SEND_TIMEOUT is invalid: 'soon' is not a number of seconds from 0.1 to 300.",
        ),
        ({"AANDACHT_SEND_TIMEOUT": "0"}, "'0' is not a number of seconds from 0.1 to 300."),
    ],
)
def test_a_bad_outreach_setting_stops_the_start_with_its_name(settings_with, variables, message):
    with pytest.raises(ConfigError) as raised:
        settings_with(**variables)
    assert message in str(raised.value)
