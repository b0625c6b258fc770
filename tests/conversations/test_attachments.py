"""Attachments: photos and PDFs up to 5 MB, the type read from the content, seen only in the conversation."""

from __future__ import annotations

import io

import pytest

from aandacht.conversations import attachments
from tests.api.helpers import log_in
from tests.conversations.conftest import EN
from tests.conversations.test_messages import messages
from tests.helpers import csrf_token

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2e5d1a40000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def send_file(client, cast, content: bytes, name: str, body: str = ""):
    url = cast.url("/app/conversation/")
    token = csrf_token(client.get(url, headers=EN))
    data = {"body": body, "csrf_token": token, "file": (io.BytesIO(content), name)}
    return client.post(url, data=data, content_type="multipart/form-data", headers=EN)


def test_a_photo_is_kept_with_its_detected_type_and_the_coach_downloads_it(app, cast, as_person, as_coach):
    assert send_file(as_person, cast, PNG, "mijn foto.jpg", "Mijn brief").status_code == 302
    page = as_coach.get(cast.conversation(), headers=EN).text
    link = page.split('data-testid="attachment" href="')[1].split('"')[0]
    assert "mijn-foto.png" in page  # the content is a PNG, whatever its name said
    download = as_coach.get(link)
    assert download.status_code == 200 and download.data == PNG
    assert download.mimetype == "image/png" and "attachment" in download.headers["Content-Disposition"]


def test_a_pdf_without_text_is_a_message_of_its_own(app, cast, as_person):
    assert send_file(as_person, cast, PDF, "cv.pdf").status_code == 302
    [message] = messages(app, cast)
    assert message.body == ""


def test_a_program_dressed_up_as_a_pdf_is_refused_and_nothing_is_kept(app, cast, as_person):
    refused = send_file(as_person, cast, EXE, "cv.pdf", "Hier is mijn cv")
    assert refused.status_code == 400
    assert "Send a photo (JPEG, PNG or WebP) or a PDF" in refused.text
    assert messages(app, cast) == []


def test_a_file_over_5_mb_is_refused_with_the_limit(app, cast, as_person):
    big = PDF + b"0" * attachments.MAX_SIZE
    refused = send_file(as_person, cast, big, "groot.pdf")
    assert refused.status_code == 400 and "too large: at most 5 MB" in refused.text
    assert messages(app, cast) == []


def test_the_dutch_error_is_in_dutch(app, cast, create_person):
    as_person = app.test_client()
    log_in(as_person, cast.tenant, "person", create_person(cast.tenant, locale="nl"))
    url = cast.url("/app/conversation/")
    token = csrf_token(as_person.get(url))
    data = {"csrf_token": token, "file": (io.BytesIO(EXE), "cv.pdf")}
    refused = as_person.post(
        url, data=data, content_type="multipart/form-data", headers={"Accept-Language": "nl"}
    )
    assert refused.status_code == 400 and "Stuur een foto" in refused.text


def test_nobody_outside_the_conversation_gets_the_file(app, cast, as_person, as_coach, create_person):
    send_file(as_person, cast, PNG, "foto.png")
    page = as_coach.get(cast.conversation(), headers=EN).text
    link = page.split('data-testid="attachment" href="')[1].split('"')[0]
    attachment_id = link.rstrip("/").rsplit("/", 1)[1]
    outsider = app.test_client()
    log_in(outsider, cast.tenant, "staff", cast.other_coach)
    assert outsider.get(link).status_code == 404
    stranger = app.test_client()
    log_in(stranger, cast.tenant, "person", create_person(cast.tenant))
    assert stranger.get(cast.url(f"/app/conversation/files/{attachment_id}")).status_code == 404
    assert as_person.get(cast.url(f"/app/conversation/files/{attachment_id}")).data == PNG


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("../../etc/passwd.png", PNG, "passwd.png"),
        ("Ünïcode naam!.pdf", PDF, "Unicode-naam.pdf"),
        ("", PDF, "bestand.pdf"),
    ],
)
def test_file_names_are_cleaned(app, name, content, expected):
    with app.test_request_context():
        assert attachments.check(name, content).filename == expected
