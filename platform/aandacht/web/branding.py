"""A tenant's branding as NL Design System design tokens: the one place where the look is decided.

The tenant file's `[branding]` (primary_color, secondary_color, logo, font_family) is turned into a
`Theme`, and the theme into CSS custom properties of the Utrecht components (buttons, links, headings,
page header, focus, form controls) and of Aandacht's own styles. Every face links the result as
`theme.css`, so the participant app, the coach workspace and the portal all look like the tenant.

Values are checked again here (the tenant file is validated on sync, but the stylesheet must never
carry anything that is not a colour or a plain font list), and colours are adjusted where needed so
that text stays readable (WCAG 2.1 AA, 4.5:1): a light primary colour gets dark text on its buttons,
and links use a darker shade of it when the colour itself is too light on white.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_FONT_FAMILY = re.compile(r"^[A-Za-z0-9 ,'\"-]{1,100}$")
_LOGO = re.compile(r"^(https://[^\s\"'<>()\\]{1,190}|/[^/\s\"'<>()\\][^\s\"'<>()\\]{0,190})$")

DEFAULT_PRIMARY = "#1f4e79"
DEFAULT_SECONDARY = "#595959"
DEFAULT_FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'
_GENERIC_FAMILIES = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"})
WHITE = "#ffffff"
BLACK = "#000000"
TEXT = "#1a1a1a"
#: Contrast that normal text needs (WCAG 2.1 AA, 1.4.3).
TEXT_CONTRAST = 4.5


def _channels(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(red: float, green: float, blue: float) -> str:
    return "#" + "".join(f"{max(0, min(255, round(value))):02x}" for value in (red, green, blue))


def luminance(colour: str) -> float:
    """Relative luminance of a `#rrggbb` colour (WCAG 2.1)."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """Contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """`colour` with `share` (0..1) of `other` mixed in."""
    return _hex(
        *(
            (1 - share) * channel + share * other_channel
            for channel, other_channel in zip(_channels(colour), _channels(other), strict=True)
        )
    )


def readable_on(colour: str, background: str, minimum: float = TEXT_CONTRAST) -> str:
    """`colour`, darkened or lightened just enough to be readable as text on `background`."""
    towards = BLACK if luminance(background) > 0.18 else WHITE
    share = 0.0
    candidate = colour
    while contrast(candidate, background) < minimum and share < 1:
        share = round(share + 0.05, 2)
        candidate = mix(colour, towards, share)
    return candidate


def text_on(background: str) -> str:
    """White or near-black text, whichever reads better on `background`."""
    return WHITE if contrast(WHITE, background) >= contrast(TEXT, background) else TEXT


@dataclass(frozen=True)
class Theme:
    """The checked design tokens of one tenant (defaults where the tenant gives none)."""

    primary: str = DEFAULT_PRIMARY
    secondary: str = DEFAULT_SECONDARY
    font_family: str = DEFAULT_FONT_FAMILY
    #: Address of the logo image (https:// or a path on this site); None: the name alone.
    logo: str | None = None

    @property
    def on_primary(self) -> str:
        """Text on primary-coloured surfaces (buttons, the page header)."""
        return text_on(self.primary)

    @property
    def primary_text(self) -> str:
        """The primary colour as text on white (links, secondary buttons), readable."""
        return readable_on(self.primary, WHITE)

    @property
    def primary_hover(self) -> str:
        """Primary surfaces under the pointer: a little darker (or lighter, for dark text)."""
        return mix(self.primary, BLACK if self.on_primary == WHITE else WHITE, 0.15)

    @property
    def primary_active(self) -> str:
        """Primary surfaces while pressed."""
        return mix(self.primary, BLACK if self.on_primary == WHITE else WHITE, 0.3)

    @property
    def primary_tint(self) -> str:
        """A very light shade of the primary colour for quiet backgrounds (selected rows, cards)."""
        return mix(self.primary, WHITE, 0.92)

    @property
    def secondary_text(self) -> str:
        """The secondary colour as text on white, readable."""
        return readable_on(self.secondary, WHITE)

    @property
    def version(self) -> str:
        """A short hash of the tokens, for cache-busting addresses."""
        key = "|".join((self.primary, self.secondary, self.font_family, self.logo or ""))
        return hashlib.sha256(key.encode()).hexdigest()[:10]

    def custom_properties(self) -> dict[str, str]:
        """The CSS custom properties this theme sets (NL Design System / Utrecht, and Aandacht's own)."""
        primary, on_primary = self.primary, self.on_primary
        hover, active, text = self.primary_hover, self.primary_active, self.primary_text
        return {
            # Aandacht's own styles.
            "--aandacht-primary": primary,
            "--aandacht-on-primary": on_primary,
            "--aandacht-primary-text": text,
            "--aandacht-primary-hover": hover,
            "--aandacht-primary-tint": self.primary_tint,
            "--aandacht-secondary": self.secondary,
            "--aandacht-secondary-text": self.secondary_text,
            "--aandacht-font-family": self.font_family,
            # Typography.
            "--utrecht-document-font-family": self.font_family,
            "--utrecht-heading-font-family": self.font_family,
            "--utrecht-button-font-family": self.font_family,
            "--utrecht-heading-color": TEXT,
            # Page header: the tenant's colour band, with the secondary colour as its edge.
            "--utrecht-page-header-background-color": primary,
            "--utrecht-page-header-color": on_primary,
            "--utrecht-page-header-content-background-color": "transparent",
            "--utrecht-page-header-content-color": on_primary,
            "--utrecht-page-header-border-block-end-color": self.secondary,
            "--utrecht-page-header-border-block-end-width": "4px",
            "--utrecht-page-footer-background-color": "#f3f3f3",
            "--utrecht-page-footer-background-image": "none",
            "--utrecht-page-footer-color": TEXT,
            # Primary action buttons.
            "--utrecht-button-primary-action-background-color": primary,
            "--utrecht-button-primary-action-border-color": primary,
            "--utrecht-button-primary-action-color": on_primary,
            "--utrecht-button-primary-action-hover-background-color": hover,
            "--utrecht-button-primary-action-hover-border-color": hover,
            "--utrecht-button-primary-action-hover-color": on_primary,
            "--utrecht-button-primary-action-active-background-color": active,
            "--utrecht-button-primary-action-active-border-color": active,
            "--utrecht-button-primary-action-active-color": on_primary,
            "--utrecht-button-primary-action-focus-background-color": hover,
            "--utrecht-button-primary-action-focus-border-color": hover,
            "--utrecht-button-primary-action-focus-color": on_primary,
            # Secondary action buttons: outlined in the primary colour.
            "--utrecht-button-secondary-action-background-color": WHITE,
            "--utrecht-button-secondary-action-border-color": text,
            "--utrecht-button-secondary-action-color": text,
            "--utrecht-button-secondary-action-hover-background-color": self.primary_tint,
            "--utrecht-button-secondary-action-hover-border-color": text,
            "--utrecht-button-secondary-action-hover-color": text,
            "--utrecht-button-secondary-action-focus-color": text,
            "--utrecht-button-secondary-action-active-color": text,
            "--utrecht-button-secondary-action-active-border-color": text,
            "--utrecht-button-subtle-color": text,
            "--utrecht-button-subtle-hover-color": text,
            "--utrecht-button-subtle-hover-border-color": text,
            "--utrecht-button-subtle-focus-color": text,
            "--utrecht-button-subtle-focus-border-color": text,
            "--utrecht-button-subtle-active-background-color": text,
            # Links.
            "--utrecht-link-color": text,
            "--utrecht-link-hover-color": readable_on(hover, WHITE),
            "--utrecht-link-focus-color": text,
            "--utrecht-link-active-color": text,
            "--utrecht-link-visited-color": text,
            # Lists and tables: the accents that the base theme draws in its own colour.
            "--utrecht-unordered-list-marker-color": text,
            "--utrecht-table-header-border-block-end-color": primary,
            "--utrecht-table-header-sticky-border-block-end-color": primary,
            "--utrecht-table-cell-selected-background-color": self.primary_tint,
            # Form controls.
            "--utrecht-textbox-focus-border-color": text,
            "--utrecht-form-control-focus-border-color": text,
            "--utrecht-radio-button-checked-background-color": text,
            "--utrecht-radio-button-checked-border-color": text,
            "--utrecht-radio-button-checked-hover-background-color": text,
            "--utrecht-radio-button-checked-focus-background-color": text,
            "--utrecht-radio-button-checked-focus-border-color": text,
            "--utrecht-radio-button-checked-active-background-color": text,
            "--utrecht-radio-button-checked-hover-color": self.primary_tint,
            "--utrecht-radio-button-checked-active-color": self.primary_tint,
            "--utrecht-radio-button-hover-background-color": self.primary_tint,
            "--utrecht-radio-button-active-background-color": self.primary_tint,
            "--utrecht-radio-button-focus-border-color": text,
        }

    def stylesheet(self) -> str:
        """The theme as a stylesheet that follows the NL Design System's own tokens."""
        declarations = "\n".join(f"  {name}: {value};" for name, value in self.custom_properties().items())
        header = "/* Design tokens of the tenant's branding (Aandacht). */"
        return f"{header}\nbody.utrecht-theme {{\n{declarations}\n}}\n"


def theme_for(branding: Mapping[str, Any] | None) -> Theme:
    """The theme of a tenant's branding; a missing or malformed value falls back to the default."""
    branding = branding or {}

    def valid(key: str, pattern: re.Pattern[str]) -> str | None:
        value = branding.get(key)
        return value.strip() if isinstance(value, str) and pattern.match(value.strip()) else None

    return Theme(
        primary=(valid("primary_color", _COLOUR) or DEFAULT_PRIMARY).lower(),
        secondary=(valid("secondary_color", _COLOUR) or DEFAULT_SECONDARY).lower(),
        font_family=_font_stack(valid("font_family", _FONT_FAMILY)),
        logo=valid("logo", _LOGO),
    )


def _font_stack(value: str | None) -> str:
    """A font list that the stylesheet can carry, ending in a generic family the device always has.

    Fonts are not downloaded (speed, and no third party learns who reads the page): a named font is
    used when the device has it, and the generic family otherwise.
    """
    if not value or value.count('"') % 2 or value.count("'") % 2:
        return DEFAULT_FONT_FAMILY
    families = [family.strip() for family in value.split(",") if family.strip()]
    if not families:
        return DEFAULT_FONT_FAMILY
    if not any(family in _GENERIC_FAMILIES for family in families):
        families.append("sans-serif")
    return ", ".join(families)
