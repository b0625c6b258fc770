"""Starting the app: settings validated with clear messages, services checked at start."""

import pytest

from aandacht.app import create_app
from aandacht.config import ConfigError, load_settings
from aandacht.testing.pytest_plugin import base_settings


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
    with pytest.raises(ConfigError, match="DATABASE_URL is invalid: the database does not answer"):
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
