"""A tenant's own words over an adopted library item, and going back to the library's.

An adopted item keeps a field empty to follow the library (`catalogue.as_item`). Writing a value
overrides it; emptying the field again lets the library's value through, so a later change in the
library reaches the tenant again. `ItemFields.cleared` empties summary and dates; title and body are
emptied here, since for the tenant's own items they are never cleared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from aandacht.db import session
from aandacht.personalisation.catalogue import OVERRIDABLE, ItemFields, save_item
from aandacht.personalisation.models import ContentItem

#: Overridable fields that `ItemFields.cleared` does not empty.
_EMPTIED_HERE = frozenset({"title", "body"})


def save_adopted(item: ContentItem, values: ItemFields, *, use_library: Iterable[str] = ()) -> ContentItem:
    """Save the tenant's values of an adopted item; the fields named in `use_library` follow the library.

    One transaction: a refused value (ContentInvalid) changes nothing, the library fields included.
    """
    names = frozenset(use_library)
    if item.library_item_id is None:
        raise ValueError("only an adopted item follows the library")
    if not names <= set(OVERRIDABLE):
        raise ValueError(f"not overridable: {', '.join(sorted(names - set(OVERRIDABLE)))}")
    following = replace(values, **dict.fromkeys(names), cleared=values.cleared | (names - _EMPTIED_HERE))
    save_item(following, item=item, commit=False)
    for name in names & _EMPTIED_HERE:
        setattr(item, name, None)
    session.commit()
    return item


def reset_overrides(item: ContentItem, names: Iterable[str]) -> ContentItem:
    """Let an adopted item take these fields from the library again (raises ContentInvalid)."""
    return save_adopted(item, ItemFields(), use_library=names)
