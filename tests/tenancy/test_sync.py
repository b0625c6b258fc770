"""`aandacht tenants sync`: tenant files create and update tenants; bad files change nothing."""

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from aandacht.db import session
from aandacht.plugins import discover_domains
from aandacht.tenancy.files import TenantFilesInvalid, read_tenant_files
from aandacht.tenancy.models import Tenant

REPO_TENANTS = Path(__file__).resolve().parents[2] / "tenants"
VALID = """
name = "Gemeente Proef"
kind = "municipality"
domains = ["werk"]
locales = ["nl", "en"]
hosts = ["{slug}.example.nl"]

[branding]
primary_color = "#123456"

[channels.email]
sender_address = "werk@proef.example.nl"
smtp_password_env = "PROEF_SMTP_PASSWORD"

[retention]
inactive_person_months = 24
"""


@pytest.fixture
def folder(tmp_path):
    return tmp_path


def write(folder, slug, text):
    (folder / f"{slug}.toml").write_text(text.format(slug=slug))
    return slug


def new_slug():
    return f"proef-{uuid.uuid4().hex[:8]}"


def stored(app, slug):
    with app.app_context():
        tenant = session.execute(select(Tenant).where(Tenant.slug == slug)).scalar_one_or_none()
        return (
            None
            if tenant is None
            else {
                "name": tenant.name,
                "domains": tenant.domains,
                "hosts": [h.host for h in tenant.hosts],
                "branding": tenant.branding,
                "channels": tenant.channels,
                "status": tenant.status,
            }
        )


def sync(runner, folder, *args):
    return runner.invoke(args=["tenants", "sync", "--dir", str(folder), *args])


def test_sync_creates_then_reports_unchanged_then_updates(app, runner, folder):
    slug = write(folder, new_slug(), VALID)
    result = sync(runner, folder)
    assert result.exit_code == 0, result.output
    assert f"{slug}: created" in result.output
    assert stored(app, slug) == {
        "name": "Gemeente Proef",
        "domains": ["werk"],
        "hosts": [f"{slug}.example.nl"],
        "branding": {"primary_color": "#123456"},
        "channels": {
            "email": {"sender_address": "werk@proef.example.nl", "smtp_password_env": "PROEF_SMTP_PASSWORD"}
        },
        "status": "active",
    }
    assert f"{slug}: unchanged" in sync(runner, folder).output

    write(
        folder,
        slug,
        VALID.replace("Gemeente Proef", "Gemeente Proef-Stad").replace('"werk"]', '"werk", "ouderen"]'),
    )
    result = sync(runner, folder)
    assert f"{slug}: updated" in result.output
    assert "name: 'Gemeente Proef' -> 'Gemeente Proef-Stad'" in result.output
    assert "domains: ['werk'] -> ['werk', 'ouderen']" in result.output
    assert stored(app, slug)["domains"] == ["werk", "ouderen"]


def test_hosts_follow_the_file(app, runner, folder):
    slug = write(folder, new_slug(), VALID)
    sync(runner, folder)
    write(
        folder, slug, VALID.replace('hosts = ["{slug}.example.nl"]', 'hosts = ["b.{slug}.nl", "a.{slug}.nl"]')
    )
    result = sync(runner, folder)
    assert result.exit_code == 0, result.output
    assert stored(app, slug)["hosts"] == [f"a.{slug}.nl", f"b.{slug}.nl"]


def test_dry_run_reports_without_writing(app, runner, folder):
    slug = write(folder, new_slug(), VALID)
    result = sync(runner, folder, "--dry-run")
    assert result.exit_code == 0
    assert f"{slug}: created" in result.output
    assert "Dry run: nothing was written." in result.output
    assert stored(app, slug) is None


def test_a_tenant_without_a_file_is_reported_and_kept(app, runner, folder, create_tenant):
    lonely = create_tenant()
    write(folder, new_slug(), VALID)
    result = sync(runner, folder)
    assert f"{lonely.slug}: not declared" in result.output
    assert stored(app, lonely.slug) is not None


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ('name = "X\nkind = 1', "(syntax)", "line 1"),
        ('kind = "municipality"', "name", "Missing data for required field."),
        ('name = "Proef"\nkind = "bakery"', "kind", "Must be one of: municipality, care_organisation."),
        ('name = "Proef"\nkind = "municipality"\ncolour = "red"', "colour", "Unknown field."),
        ('name = "Proef"\nkind = "municipality"\nlocales = ["de"]', "locales.0", "Must be one of: nl, en."),
        ('name = "Proef"\nkind = "municipality"\nlocales = []', "locales", "Name at least one locale"),
        ('name = "Proef"\nkind = "municipality"\ndomains = ["studie"]', "domains", "Not installed: studie"),
        (
            'name = "Proef"\nkind = "municipality"\n[branding]\nprimary_color = "blue"',
            "branding.primary_color",
            "Not a colour; write it as #rrggbb.",
        ),
        (
            'name = "Proef"\nkind = "municipality"\n[channels.email]\nsmtp_password = "hunter2"',
            "channels.email.smtp_password",
            "Secrets never go in a tenant file",
        ),
        (
            'name = "Proef"\nkind = "municipality"\n[channels.sms]\napi_key_env = "lower case"',
            "channels.sms.api_key_env",
            "Must be the name of an environment variable",
        ),
        (
            'name = "Proef"\nkind = "municipality"\n[channels.fax]\nnumber = "1"',
            "channels.fax",
            "Must be one of: email, sms, push.",
        ),
        (
            'name = "Proef"\nkind = "municipality"\n[retention]\nmessage_months = 0',
            "retention.message_months",
            "Must be 1 to 240 months.",
        ),
        ('name = "Proef"\nkind = "municipality"\nhosts = ["not a host"]', "hosts.0", "Not a host name"),
    ],
)
def test_a_malformed_file_is_named_with_key_and_problem_and_nothing_changes(
    app, runner, folder, text, key, problem
):
    good = write(folder, new_slug(), VALID)
    bad = write(folder, new_slug(), text)
    result = sync(runner, folder)
    assert result.exit_code == 1
    assert "Nothing changed: 1 problem(s) in the tenant files." in result.output
    line = next(line for line in result.output.splitlines() if line.strip().startswith(f"{bad}.toml"))
    assert line.strip().startswith(f"{bad}.toml: {key}: ")
    assert problem in line
    assert stored(app, good) is None and stored(app, bad) is None


def test_two_tenants_claiming_one_host_are_refused(app, runner, folder):
    first = write(folder, new_slug(), VALID.replace("{slug}.example.nl", "shared.example.nl"))
    second = write(folder, new_slug(), VALID.replace("{slug}.example.nl", "shared.example.nl"))
    result = sync(runner, folder)
    assert result.exit_code == 1
    assert "hosts: shared.example.nl is also a host of" in result.output
    assert stored(app, first) is None and stored(app, second) is None


def test_a_badly_named_file_is_refused(app, runner, folder):
    write(folder, "Bad_Name", VALID)
    result = sync(runner, folder)
    assert result.exit_code == 1
    assert "Bad_Name.toml: (file name): Name the file <slug>.toml" in result.output


def test_a_missing_folder_is_reported(runner, tmp_path):
    result = sync(runner, tmp_path / "absent")
    assert result.exit_code == 1
    assert "The tenants folder does not exist." in result.output


def test_the_shipped_demo_tenants_are_valid():
    declarations = read_tenant_files(REPO_TENANTS, discover_domains().domains.keys())
    by_slug = {declaration.slug: declaration for declaration in declarations}
    assert {slug: by_slug[slug].domains for slug in by_slug} == {
        "enschede": ["werk", "ouderen"],
        "zaanstad": ["werk"],
        "deventer": ["werk"],
        "laborijn": ["sw"],
        "alifa": ["ouderen"],
    }
    assert {by_slug["laborijn"].kind, by_slug["alifa"].kind} == {"care_organisation"}


def test_reading_reports_every_problem_at_once(tmp_path):
    write(tmp_path, "een", 'kind = "x"')
    write(tmp_path, "twee", 'name = "Twee"\nkind = "municipality"\ndomains = ["nope"]')
    with pytest.raises(TenantFilesInvalid) as raised:
        read_tenant_files(tmp_path, ["werk"])
    assert sorted(str(error) for error in raised.value.errors) == [
        "een.toml: kind: Must be one of: municipality, care_organisation.",
        "een.toml: name: Missing data for required field.",
        "twee.toml: domains: Not installed: nope (installed: werk).",
    ]


def test_enabling_a_domain_that_failed_to_load_says_why(tmp_path):
    write(tmp_path, "een", 'name = "Een"\nkind = "municipality"\ndomains = ["studie"]')
    with pytest.raises(TenantFilesInvalid) as raised:
        read_tenant_files(tmp_path, ["werk"], {"studie": "RuntimeError: broken"})
    assert [str(error) for error in raised.value.errors] == [
        "een.toml: domains: studie failed to load (RuntimeError: broken). Run 'aandacht domains' for details."
    ]


def test_a_host_moves_between_tenants_in_one_sync(app, runner, folder):
    first = write(folder, new_slug(), VALID.replace("{slug}.example.nl", "moving.example.nl"))
    second = write(folder, new_slug(), VALID.replace('hosts = ["{slug}.example.nl"]', "hosts = []"))
    assert sync(runner, folder).exit_code == 0
    write(folder, first, VALID.replace('hosts = ["{slug}.example.nl"]', "hosts = []"))
    write(folder, second, VALID.replace("{slug}.example.nl", "moving.example.nl"))
    result = sync(runner, folder)
    assert result.exit_code == 0, result.output
    assert "hosts: ['moving.example.nl'] -> []" in result.output
    assert "hosts: [] -> ['moving.example.nl']" in result.output
    assert (stored(app, first)["hosts"], stored(app, second)["hosts"]) == ([], ["moving.example.nl"])


def test_a_file_may_not_take_the_host_of_a_tenant_without_a_file(app, runner, folder, create_tenant):
    from aandacht.tenancy.models import TenantHost

    holder = create_tenant()
    with app.app_context():
        session.add(TenantHost(host="taken.example.nl", tenant_id=holder.id))
        session.commit()
    claimant = write(folder, new_slug(), VALID.replace("{slug}.example.nl", "taken.example.nl"))
    result = sync(runner, folder)
    assert result.exit_code == 1
    assert (
        f"{claimant}.toml: hosts: taken.example.nl belongs to {holder.slug}, which has no tenant file."
        in result.output
    )
    assert stored(app, claimant) is None


def test_secrets_are_reported_together_with_other_problems(tmp_path):
    write(tmp_path, "een", 'name = "Een"\nkind = "bakery"\n[channels.email]\nsmtp_password = "hunter2"')
    with pytest.raises(TenantFilesInvalid) as raised:
        read_tenant_files(tmp_path, ["werk"])
    assert sorted(error.key for error in raised.value.errors) == ["channels.email.smtp_password", "kind"]
