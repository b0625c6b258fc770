"""Starting the app: settings validated with clear messages, services checked at start."""

import pytest

from aandacht.accounts.service import create_person
from aandacht.app import create_app
from aandacht.config import ConfigError, load_settings
from aandacht.tenancy.context import tenant_context
from aandacht.testing.pytest_plugin import base_settings
from tests.helpers import csrf_token, latest_message


def settings_with(tmp_path, **values):
    return {**base_settings(tmp_path), **values}


def test_embedded_default_needs_no_settings(tmp_path):
    settings = load_settings({"AANDACHT_INSTANCE_PATH": str(tmp_path)})
    assert settings.database_url.get_backend_name() == "sqlite"
    assert settings.database_url.database == str(tmp_path / "aandacht.sqlite")
    assert settings.jobs_inline
    assert settings.outbox_dir == tmp_path / "outbox"
    assert settings.environment == "development"
    # A development secret is made once and kept, so sessions survive a restart.
    assert load_settings({"AANDACHT_INSTANCE_PATH": str(tmp_path)}).secret_key == settings.secret_key
    assert len(settings.secret_key) >= 32


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "not a url", "not a database URL"),
        ("DATABASE_URL", "mysql://root@localhost/x", "not supported"),
        ("DATABASE_URL", "postgresql://u@localhost", "names no database"),
        ("REDIS_URL", "http://localhost:6379", "must start with redis://"),
        ("SECRET_KEY", "short", "at least 32 characters"),
        ("AANDACHT_ENV", "staging", "not one of development, production, test"),
        ("LOG_LEVEL", "chatty", "not one of DEBUG"),
        ("AANDACHT_BASE_DOMAIN", "not a host!", "not a host name"),
        ("AANDACHT_TRUSTED_PROXIES", "many", "not a number from 0 to 5"),
        ("SMTP_URL", "mail.example.org", "must look like smtp://host:25"),
    ],
)
def test_a_bad_setting_is_named_with_its_problem(tmp_path, variable, value, message):
    with pytest.raises(ConfigError) as raised:
        create_app(settings_with(tmp_path, **{variable: value}))
    assert raised.value.variable == variable
    assert message in str(raised.value)
    assert str(raised.value).startswith(f"Setting {variable} is invalid")


def test_production_requires_a_secret_key(tmp_path):
    settings = settings_with(tmp_path, AANDACHT_ENV="production")
    del settings["SECRET_KEY"]
    with pytest.raises(ConfigError, match="SECRET_KEY is invalid: is required in production"):
        create_app(settings)


def test_a_database_that_does_not_answer_stops_the_start(tmp_path):
    url = "postgresql://nobody@127.0.0.1:1/nothing"
    with pytest.raises(
        ConfigError, match="The service of DATABASE_URL is unavailable: the database does not answer"
    ):
        create_app(settings_with(tmp_path, DATABASE_URL=url))


def test_app_refuses_a_role_that_bypasses_row_level_security(postgres_urls, tmp_path):
    admin_url, _ = postgres_urls
    url = admin_url.render_as_string(hide_password=False)
    with pytest.raises(ConfigError, match="bypasses row level security"):
        create_app(settings_with(tmp_path, DATABASE_URL=url))


def test_cli_reports_a_bad_setting_without_a_traceback(tmp_path):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", **settings_with(tmp_path, DATABASE_URL="nonsense")}
    result = subprocess.run(
        [sys.executable, "-m", "aandacht.cli", "tenants", "list"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "Error: Setting DATABASE_URL is invalid: not a database URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_postgres_spelling_of_hosting_providers_is_understood(tmp_path):
    settings = load_settings(
        {**settings_with(tmp_path), "DATABASE_URL": "postgres://u@db.example.org/aandacht"}
    )
    assert settings.database_url.drivername == "postgresql+psycopg"


def test_forwarded_headers_count_only_behind_trusted_proxies(app, app_settings, create_tenant):
    tenant = create_tenant()
    with app.app_context(), tenant_context(tenant):
        create_person(display_name="Ans", email="ans@example.nl")
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "werk.example.nl"}
    for proxies, expected in (("0", "http://localhost/"), ("1", "https://werk.example.nl/")):
        proxied = create_app({**app_settings, "AANDACHT_TRUSTED_PROXIES": proxies})
        client = proxied.test_client()
        login = f"/t/{tenant.slug}/login"
        token = csrf_token(client.get(login, headers=forwarded))
        # Over https, CSRF protection also wants the Referer of the page, as browsers send it.
        posted = client.post(
            login,
            data={"email": "ans@example.nl", "csrf_token": token},
            headers={**forwarded, "Referer": expected},
        )
        assert posted.status_code == 200
        mail = latest_message(proxied, tenant)
        assert f"{expected}t/{tenant.slug}/login/link/" in mail["text"]
