"""Attachments: a photo or a PDF with a message, its type read from the content, never from its name.

`filetype` reads the file's first bytes (its magic number), so a program renamed to `cv.pdf` is
refused as what it is. Allowed: JPEG, PNG, WebP and PDF, up to `MAX_SIZE`. The file is kept in the
database beside its message, so it is scoped by tenant, removed with the person, and served only
through the conversation's own gate.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import filetype
from flask_babel import gettext as _

#: The largest attachment, in bytes.
MAX_SIZE = 5 * 1024 * 1024
#: The types allowed, by the MIME type `filetype` detects, with the extension of a download.
ALLOWED = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}


class AttachmentRefused(ValueError):
    """The file is too large, empty, or not one of the allowed types; the message says which, in words."""


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, with the type its content showed."""

    filename: str
    content_type: str
    content: bytes


def check(filename: str, content: bytes) -> CheckedFile:
    """The file when it is allowed; raises AttachmentRefused with the reason otherwise."""
    if not content:
        raise AttachmentRefused(_("The file is empty."))
    if len(content) > MAX_SIZE:
        raise AttachmentRefused(
            _("The file is too large: at most %(size)d MB.", size=MAX_SIZE // (1024 * 1024))
        )
    found = filetype.guess_mime(content)
    if found not in ALLOWED:
        raise AttachmentRefused(_("Send a photo (JPEG, PNG or WebP) or a PDF; this file is another type."))
    return CheckedFile(clean_name(filename, ALLOWED[found]), found, content)


def clean_name(filename: str, extension: str) -> str:
    """A safe download name: letters, digits and dashes, with the detected type's extension."""
    stem = unicodedata.normalize("NFKD", filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem.encode("ascii", "ignore").decode()).strip("-")[:80]
    return f"{stem or 'bestand'}.{extension}"
