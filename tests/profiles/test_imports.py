"""Import of a client file: CSV and Excel, mapping, dry-run report, all-or-nothing and idempotent runs."""

from __future__ import annotations

import io
import re
import uuid
import zipfile

import flask
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from aandacht import jobs
from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person
from aandacht.accounts.sessions import log_in
from aandacht.app import create_app
from aandacht.db import session
from aandacht.profiles import imports
from aandacht.profiles.import_models import ImportRun
from aandacht.profiles.models import ProfileChange
from aandacht.profiles.service import history, profile_values
from aandacht.tenancy.context import tenant_context
from tests.helpers import csrf_token

HEADER = "klantnummer;naam;email;kanaal;talen\n"
GOOD = (
    HEADER
    + "1001;Anna de Vries;anna@example.nl;email;nl,en\n"
    + "1002;Bram Bakker;;sms;nl\n"
    + "1003;Cem Yilmaz;cem@example.nl;;tr|nl\n"
)
MAPPING = {
    "klantnummer": "external_id",
    "naam": "name",
    "email": "email",
    "kanaal": "attribute:core.preferred_channel",
    "talen": "attribute:core.languages",
}


@pytest.fixture
def tenant(create_tenant):
    return create_tenant()


@pytest.fixture
def within(app, tenant):
    """A request context in the tenant, English unless another language is asked."""

    def enter(language: str = "en"):
        context = app.test_request_context(headers={"Accept-Language": language})
        return _Both(context, tenant_context(tenant))

    return enter


class _Both:
    def __init__(self, *managers):
        self.managers = managers

    def __enter__(self):
        for manager in self.managers:
            manager.__enter__()

    def __exit__(self, *exc):
        for manager in reversed(self.managers):
            manager.__exit__(*exc)


def do_import(content: bytes | str, name: str = "klanten.csv", mapping=MAPPING) -> ImportRun:
    """Upload, dry run and (when the report is clean) run; returns the run as it ended."""
    data = content.encode() if isinstance(content, str) else content
    run = imports.upload(file_name=name, data=data, acting_staff_id=None)
    run = imports.check(run, mapping)
    if not run.errors:
        imports.start(run)
    session.expire_all()
    return imports.import_run(run.id)


def people() -> dict[str, Person]:
    return {p.external_id: p for p in session.execute(select(Person)).scalars()}


def change_count() -> int:
    return session.execute(select(func.count()).select_from(ProfileChange)).scalar_one()


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_csv_file_creates_people_with_their_values_and_history(app, within):
    with within():
        run = do_import(GOOD)
        assert (run.status, run.created, run.updated, run.unchanged) == ("done", 3, 0, 0)
        assert run.processed == run.total == 3
        found = people()
        assert found["1001"].display_name == "Anna de Vries" and found["1001"].email == "anna@example.nl"
        assert profile_values(found["1001"].id) == {
            "core.preferred_channel": "email",
            "core.languages": ["nl", "en"],
        }
        assert profile_values(found["1003"].id) == {"core.languages": ["nl", "tr"]}
        change = history(found["1002"].id, "core.preferred_channel")[0]
        assert (change.source, change.detail, change.new_value) == ("import", "klanten.csv", "sms")


def test_comma_separated_utf8_with_bom_is_read_too(app, within):
    content = "\ufeffklantnummer,naam,kanaal\n2001,Zoë Jansen,phone\n"
    with within():
        run = do_import(
            content,
            mapping={
                "klantnummer": "external_id",
                "naam": "name",
                "kanaal": "attribute:core.preferred_channel",
            },
        )
        assert run.status == "done"
        assert people()["2001"].display_name == "Zoë Jansen"


def test_an_excel_file_is_read(app, within):
    data = xlsx(
        [["klantnummer", "naam", "kanaal"], [3001, "Excel Eva", "In the app"], [3002, "Excel Erik", "email"]]
    )
    with within():
        run = imports.upload(file_name="klanten.xlsx", data=data, acting_staff_id=None)
        assert run.file_format == "xlsx" and run.columns == ["klantnummer", "naam", "kanaal"]
        assert run.mapping == {"klantnummer": "external_id", "naam": "name"}  # suggested by header
        run = imports.check(run, {**run.mapping, "kanaal": "attribute:core.preferred_channel"})
        assert run.errors == [] and run.created == 2
        imports.start(run)
        found = people()
        assert profile_values(found["3001"].id) == {"core.preferred_channel": "app"}  # by its label
        assert found["3002"].display_name == "Excel Erik"


def test_the_mapping_suggests_columns_named_after_an_attribute_key_or_label(app, within):
    with within():
        mapping = imports.suggest_mapping(
            ["Klantnummer", "core.languages", "How do you want to hear from us?", "x"]
        )
    assert mapping == {
        "Klantnummer": "external_id",
        "core.languages": "attribute:core.languages",
        "How do you want to hear from us?": "attribute:core.preferred_channel",
    }


def test_a_mapping_without_client_number_or_with_a_double_target_is_refused(app, within):
    with within():
        run = imports.upload(file_name="k.csv", data=GOOD.encode(), acting_staff_id=None)
        with pytest.raises(imports.ImportRefused, match="client number"):
            imports.check(run, {"naam": "name"})
        with pytest.raises(imports.ImportRefused, match="Two columns"):
            imports.check(run, {"klantnummer": "external_id", "naam": "name", "email": "name"})


def test_the_dry_run_names_row_column_and_reason_and_changes_nothing(app, within):
    bad = (
        HEADER
        + "1001;Anna;anna@example.nl;email;nl\n"
        + "1002;Bram;geen-adres;fax;nl\n"
        + ";Zonder Nummer;;;\n"
        + "1001;Dubbel;;;\n"
        + "1005;;;;klingon\n"
    )
    with within():
        run = imports.upload(file_name="fout.csv", data=bad.encode(), acting_staff_id=None)
        run = imports.check(run, MAPPING)
        problems = {(p["row"], p["column"]): p["reason"] for p in run.errors}
        assert problems == {
            (3, "email"): "This is not a valid e-mail address.",
            (3, "kanaal"): "Choose one of the answers.",
            (4, "klantnummer"): "The client number is empty.",
            (5, "klantnummer"): "This client number is also in row 2.",
            (6, "naam"): "A new person needs a name.",
            (6, "talen"): "Choose from the answers.",
        }
        assert run.status == "checked" and people() == {}
        with pytest.raises(imports.ImportRefused):
            imports.start(run)


def test_a_file_with_one_bad_row_at_run_time_changes_nothing(app, within):
    with within():
        do_import(GOOD)
        before = ({k: (p.display_name, p.email) for k, p in people().items()}, change_count())
        changed = GOOD.replace("Bram Bakker;;sms", "Bram Bakker;;phone") + "1004;Nieuw;anna@example.nl;;\n"
        run = imports.upload(file_name="k2.csv", data=changed.encode(), acting_staff_id=None)
        run = imports.check(run, MAPPING)
        assert run.errors == [
            {"row": 5, "column": "email", "reason": "Another person already has this e-mail address."}
        ]
        # The file is checked again by the run itself: force it past the dry run and see it rejected.
        run.errors = []
        session.commit()
        imports.start(run)
        session.expire_all()
        run = imports.import_run(run.id)
        assert run.status == "rejected" and run.errors[0]["row"] == 5
        after = ({k: (p.display_name, p.email) for k, p in people().items()}, change_count())
        assert after == before
        assert profile_values(people()["1002"].id)["core.preferred_channel"] == "sms"
        assert not imports.stored_file(run).exists()


def test_a_rerun_of_the_same_file_changes_nothing_and_writes_no_history(app, within):
    with within():
        do_import(GOOD)
        count = change_count()
        again = do_import(GOOD)
        assert (again.status, again.created, again.updated, again.unchanged) == ("done", 0, 0, 3)
        assert change_count() == count
        assert len(people()) == 3


def test_a_changed_value_updates_the_person_found_by_client_number(app, within, create_person):
    with within():
        do_import(GOOD)
        anna = people()["1001"].id
        changed = GOOD.replace(
            "1001;Anna de Vries;anna@example.nl;email", "1001;Anna de Vries;anna@example.nl;phone"
        )
        run = do_import(changed, name="update.csv")
        assert (run.created, run.updated, run.unchanged) == (0, 1, 2)
        assert people()["1001"].id == anna
        latest = history(anna, "core.preferred_channel")[0]
        assert (latest.old_value, latest.new_value, latest.source, latest.detail) == (
            "email",
            "phone",
            "import",
            "update.csv",
        )
        assert len(history(anna, "core.languages")) == 1  # unchanged value: no new history


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("klanten.xls", b"\xd0\xcf\x11\xe0 old excel", "Save it in Excel as .xlsx"),
        ("klanten.pdf", b"%PDF-1.4", "Choose a CSV file (.csv) or an Excel file (.xlsx)."),
        ("klanten.xlsx", b"klantnummer;naam\n1;a\n", "not a real Excel file"),
        ("klanten.xlsx", b"PK\x03\x04 broken zip", "cannot be read"),
        ("klanten.csv", "klantnummer;naam\n1;Zoë\n".encode("latin-1"), "UTF-8"),
        ("klanten.csv", b"", "The file is empty."),
    ],
)
def test_a_file_of_another_kind_is_refused_clearly(app, within, name, data, message):
    with within(), pytest.raises(imports.ImportRefused) as refused:
        imports.upload(file_name=name, data=data, acting_staff_id=None)
    assert message in str(refused.value)


def test_an_excel_xml_bomb_is_refused(app, within):
    bomb_sheet = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>'
    )
    source = zipfile.ZipFile(io.BytesIO(xlsx([["klantnummer"], [1]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as bomb:
        for item in source.infolist():
            content = source.read(item.filename)
            bomb.writestr(item, bomb_sheet if item.filename == "xl/worksheets/sheet1.xml" else content)
    with within(), pytest.raises(imports.ImportRefused) as refused:
        imports.upload(file_name="bom.xlsx", data=out.getvalue(), acting_staff_id=None)
    assert "forbidden XML" in str(refused.value)


def test_a_file_over_the_size_limit_is_refused(app, within, monkeypatch):
    monkeypatch.setitem(app.config, "AANDACHT_IMPORT_MAX_BYTES", 100)
    with within(), pytest.raises(imports.ImportRefused, match="too large"):
        imports.upload(file_name="groot.csv", data=(HEADER + "1;a;;;\n" * 50).encode(), acting_staff_id=None)


def test_the_inline_job_reports_progress_and_keeps_no_file(app, within):
    rows = "".join(f"{5000 + n};Persoon {n};;app;nl\n" for n in range(450))
    seen: list[int] = []
    with within():
        run = imports.upload(file_name="groot.csv", data=(HEADER + rows).encode(), acting_staff_id=None)
        run = imports.check(run, MAPPING)
        original = imports._progress_reporter

        def spying(run_id, total):
            report = original(run_id, total)

            def record(done, **kwargs):
                seen.append(done)
                report(done, **kwargs)

            return record

        imports._progress_reporter = spying
        try:
            imports.start(run)
        finally:
            imports._progress_reporter = original
        session.expire_all()
        run = imports.import_run(run.id)
        assert (run.status, run.processed, run.total, run.created) == ("done", 450, 450, 450)
        assert run.finished_at is not None and not imports.stored_file(run).exists()
    assert seen[0] == 0 and seen[-1] == 450 and len(seen) == 451


@pytest.fixture
def queued_app(app_settings, app, redis_url):
    return create_app({**app_settings, "REDIS_URL": redis_url})


def test_a_large_import_runs_on_a_real_worker(queued_app, tenant):
    queue = jobs.queue_named(queued_app, "bulk")
    queue.empty()
    with queued_app.test_request_context(headers={"Accept-Language": "en"}), tenant_context(tenant):
        run = imports.upload(file_name="rq.csv", data=GOOD.encode(), acting_staff_id=None)
        imports.start(imports.check(run, MAPPING))
        run_id = run.id
        session.expire_all()
        assert imports.import_run(run_id).status == "queued" and people() == {}
    jobs.run_worker(queued_app, ["bulk"], burst=True)
    with queued_app.app_context(), tenant_context(tenant):
        run = imports.import_run(run_id)
        assert (run.status, run.processed, run.created) == ("done", 3, 3)
        assert set(people()) == {"1001", "1002", "1003"}


# --- Portal pages ----------------------------------------------------------------------------------------


def logged_in(app, client, tenant, role: str):
    with app.app_context(), tenant_context(tenant):
        staff = accounts.create_staff(
            display_name=f"{role} {uuid.uuid4().hex[:4]}", email=f"{uuid.uuid4().hex[:8]}@staff.nl", role=role
        )
    with app.test_request_context(f"/t/{tenant.slug}/"), tenant_context(tenant):
        log_in("staff", staff)
        data = dict(flask.session)
    with client.session_transaction() as stored:
        stored.clear()
        stored.update(data)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return f"/t/{tenant.slug}/portal/imports"


def test_the_portal_pages_upload_check_run_and_show_progress(app, client, tenant):
    base = logged_in(app, client, tenant, "tenant_admin")
    page = client.get(f"{base}/")
    assert page.status_code == 200 and "No imports yet" in page.text
    sent = client.post(
        f"{base}/",
        data={"csrf_token": csrf_token(page), "file": (io.BytesIO(GOOD.encode()), "klanten.csv")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/mapping")
    mapping_page = client.get(sent.headers["Location"])
    assert mapping_page.status_code == 200
    assert re.search(r'<option value="external_id" selected>', mapping_page.text)  # klantnummer suggested
    form = {"csrf_token": csrf_token(mapping_page)}
    form.update({f"column-{i}": target for i, target in enumerate(MAPPING.values())})
    checked = client.post(sent.headers["Location"], data=form)
    assert checked.status_code == 302
    report = client.get(checked.headers["Location"])
    assert "New people: 3" in report.text and 'data-testid="run-form"' in report.text
    started = client.post(f"{checked.headers['Location']}/run", data={"csrf_token": csrf_token(report)})
    assert started.status_code == 302
    result = client.get(started.headers["Location"])
    assert 'data-status="done"' in result.text and "The file is imported." in result.text
    fragment = client.get(f"{started.headers['Location']}/progress")
    assert (
        fragment.status_code == 200
        and 'id="import-progress"' in fragment.text
        and "hx-get" not in fragment.text
    )
    with app.app_context(), tenant_context(tenant):
        run = session.execute(select(ImportRun)).scalar_one()
        run.status, run.processed = "running", 1
        session.commit()
    polling = client.get(f"{started.headers['Location']}/progress")
    assert 'hx-trigger="every 2s"' in polling.text and 'value="1"' in polling.text
    assert "klanten.csv" in client.get(f"{base}/").text


def test_the_portal_shows_a_bad_file_and_a_bad_row_report(app, client, tenant):
    base = logged_in(app, client, tenant, "tenant_admin")
    page = client.get(f"{base}/")
    refused = client.post(
        f"{base}/",
        data={"csrf_token": csrf_token(page), "file": (io.BytesIO(b"%PDF"), "k.pdf")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400 and "Choose a CSV file" in refused.text
    sent = client.post(
        f"{base}/",
        data={"csrf_token": csrf_token(page), "file": (io.BytesIO((HEADER + "1;;x;;\n").encode()), "k.csv")},
        content_type="multipart/form-data",
    )
    mapping_page = client.get(sent.headers["Location"])
    form = {"csrf_token": csrf_token(mapping_page)}
    form.update({f"column-{i}": target for i, target in enumerate(MAPPING.values())})
    report = client.get(client.post(sent.headers["Location"], data=form).headers["Location"])
    assert 'data-testid="report"' in report.text and "A new person needs a name." in report.text
    assert 'data-testid="run-form"' not in report.text


def test_a_coach_cannot_reach_the_import_pages(app, client, tenant):
    base = logged_in(app, client, tenant, "coach")
    assert client.get(f"{base}/").status_code == 403


def test_another_tenants_import_is_not_found(app, client, tenant, create_tenant):
    other = create_tenant()
    with app.test_request_context(), tenant_context(other):
        foreign = imports.upload(file_name="k.csv", data=GOOD.encode(), acting_staff_id=None)
    base = logged_in(app, client, tenant, "tenant_admin")
    for path in ("", "/mapping", "/progress"):
        assert client.get(f"{base}/{foreign.id}{path}").status_code == 404
    assert client.get(f"{base}/not-an-id").status_code == 404
