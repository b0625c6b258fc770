"""The participant app as an installable web app: its manifest and its icons, made per tenant.

The icons are drawn here, in the tenant's colours (a ring with a dot: attention), so no image of a
third party is needed and each municipality's app icon has its own colour. They are full-bleed squares
with the mark inside the safe zone, so the same picture serves as a normal and a "maskable" icon.
"""

from __future__ import annotations

import hashlib
import math
import struct
import zlib
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from flask import url_for
from flask_babel import gettext as _

from aandacht.tenancy.context import CurrentTenant
from aandacht.web.branding import WHITE, Theme, contrast

#: Sizes of the PNG icons (the ones browsers need to offer installing the app).
ICON_SIZES = (192, 512)
_NAME_PREFIXES = ("Gemeente ", "Municipality of ", "Stichting ")
_SHORT_NAME_LENGTH = 12


def short_name(name: str) -> str:
    """A name short enough for under an app icon: "Gemeente Enschede" becomes "Enschede"."""
    for prefix in _NAME_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix) :]
    if len(name) > _SHORT_NAME_LENGTH:
        name = name.split()[0][:_SHORT_NAME_LENGTH]
    return name


def manifest(tenant: CurrentTenant, theme: Theme) -> dict[str, Any]:
    """The web app manifest of the tenant's participant app; its scope is the app's own address."""
    home = url_for("participant.home")
    icons: list[dict[str, str]] = [
        {"src": url_for("participant.svg_icon", v=theme.version), "sizes": "any", "type": "image/svg+xml"}
    ]
    for size in ICON_SIZES:
        source = url_for("participant.png_icon", size=size, v=theme.version)
        for purpose in ("any", "maskable"):
            icons.append({"src": source, "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose})
    return {
        "id": home,
        "name": tenant.name,
        "short_name": short_name(tenant.name),
        "description": _("News, tips and messages from your coach."),
        "lang": tenant.default_locale,
        "dir": "ltr",
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "theme_color": theme.primary,
        "background_color": WHITE,
        "icons": icons,
    }


def _mark_colour(theme: Theme) -> tuple[str, str]:
    """Colours of the ring and the dot on the primary background (the dot in the secondary colour)."""
    ring = theme.on_primary
    dot = theme.secondary if contrast(theme.secondary, theme.primary) >= 3 else ring
    return ring, dot


def svg_icon(theme: Theme) -> str:
    """The app icon as SVG (rounded, for browsers that show it as it is)."""
    ring, dot = _mark_colour(theme)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'<rect width="100" height="100" rx="22" fill="{theme.primary}"/>'
        f'<circle cx="50" cy="50" r="23" fill="none" stroke="{ring}" stroke-width="8"/>'
        f'<circle cx="50" cy="50" r="8.5" fill="{dot}"/>'
        "</svg>"
    )


@lru_cache(maxsize=32)
def png_icon(size: int, primary: str, ring: str, dot: str) -> bytes:
    """The app icon as a PNG of `size` x `size` pixels, drawn with smooth edges."""
    background, ring_rgb, dot_rgb = (_rgb(colour) for colour in (primary, ring, dot))
    centre = size / 2
    ring_radius, ring_half_width, dot_radius = 0.23 * size, 0.04 * size, 0.085 * size
    rows = bytearray()
    for y in range(size):
        rows.append(0)  # filter type: none
        dy = y + 0.5 - centre
        for x in range(size):
            distance = math.hypot(x + 0.5 - centre, dy)
            colour = background
            ring_cover = _coverage(ring_half_width - abs(distance - ring_radius))
            if ring_cover:
                colour = _blend(colour, ring_rgb, ring_cover)
            dot_cover = _coverage(dot_radius - distance)
            if dot_cover:
                colour = _blend(colour, dot_rgb, dot_cover)
            rows.extend(colour)
    return _png(size, size, bytes(rows))


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _coverage(inside: float) -> float:
    """How much of a pixel a shape covers, from how far (in pixels) its centre lies inside the edge."""
    return max(0.0, min(1.0, inside + 0.5))


def _blend(under: tuple[int, ...], over: tuple[int, ...], share: float) -> tuple[int, ...]:
    return tuple(round(a + (b - a) * share) for a, b in zip(under, over, strict=True))


def _png(width: int, height: int, raw_rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw_rows, 9))
        + chunk(b"IEND", b"")
    )


def icon_colours(theme: Theme) -> tuple[str, str, str]:
    """The three colours of the icon: background, ring, dot."""
    ring, dot = _mark_colour(theme)
    return theme.primary, ring, dot


def cache_version(parts: Iterable[str]) -> str:
    """The version of the service worker's cache: it changes whenever what it keeps changes."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]
