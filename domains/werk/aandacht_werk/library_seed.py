"""The werk domain's share of the platform library: generic tips and work-abroad information.

`library.json` holds items that any municipality can adopt as they are. `seed_library()` writes them
through the library's service, by key: a new key is added, a changed item is updated, an unchanged one
is left alone (so its adoptions and the feeds' caches see no change).
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

from aandacht.personalisation.library import LibraryFields, library_items, save_library_item
from aandacht.personalisation.models import LibraryItem

LIBRARY_FILE = Path(__file__).with_name("library.json")


def library_fields() -> list[LibraryFields]:
    """The items of `library.json`, as the library's service takes them."""
    return [LibraryFields(**entry) for entry in json.loads(LIBRARY_FILE.read_text(encoding="utf-8"))]


def seed_library() -> dict[str, LibraryItem]:
    """Add or update the werk library items; returns every one of them by key."""
    existing = {item.key: item for item in library_items(include_withdrawn=True)}
    seeded = {}
    for values in library_fields():
        item = existing.get(values.key)
        if item is None or _differs(item, values):
            item = save_library_item(values, item=item)
        seeded[values.key] = item
    return seeded


def _differs(item: LibraryItem, values: LibraryFields) -> bool:
    """Whether saving `values` would change `item` (tags compare as the library stores them)."""
    wanted: dict[str, Any] = {field.name: getattr(values, field.name) for field in fields(values)}
    wanted["tags"] = sorted({tag.strip().lower() for tag in values.tags})
    for name in ("summary", "body"):
        wanted[name] = wanted[name] or ""
    return any(getattr(item, name) != value for name, value in wanted.items())
