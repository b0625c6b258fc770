"""Markdown of content items, rendered safely: people see what a coach wrote, never what a page injects.

CommonMark without HTML of its own (typed HTML shows as text). Links go only to web pages (http,
https) and e-mail addresses, and open as ordinary links without handing over the page they came from;
a link anywhere else (`javascript:`, `data:`, a path inside the app) stays as its plain words. Images
come only from web addresses or paths on this site.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

LINK_SCHEMES = ("http", "https", "mailto")
IMAGE_SCHEMES = ("http", "https")
#: Outgoing links tell the other site neither where they came from nor who may script back.
LINK_REL = "nofollow noopener noreferrer"


def _scheme(url: str) -> str | None:
    """The scheme of `url`; "" for a path on this site; None for a host-relative address (`//host`)."""
    if url.startswith(("//", "\\", "/\\")):
        return None
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return None


def _allowed(url: str) -> bool:
    """What the parser may turn into a link or image at all; the rest stays text."""
    return _scheme(url) in (*LINK_SCHEMES, "")


def _links_and_images(state: StateCore) -> None:
    """Make links to paths and images from elsewhere plain words; mark outgoing links."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        kept, unlinked = [], False
        for token in block.children:
            if token.type == "link_open":
                if _scheme(token.attrGet("href") or "") not in LINK_SCHEMES:
                    unlinked = True
                    continue
                token.attrSet("rel", LINK_REL)
            elif token.type == "link_close" and unlinked:
                unlinked = False
                continue
            elif token.type == "image":
                if _scheme(token.attrGet("src") or "") not in (*IMAGE_SCHEMES, ""):
                    words = Token("text", "", 0)
                    words.content = token.content
                    token = words
                else:
                    token.attrSet("loading", "lazy")
            kept.append(token)
        block.children = kept


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False})
    parser.validateLink = _allowed  # type: ignore[method-assign]
    parser.core.ruler.push("aandacht_links", _links_and_images)
    return parser


_PARSER = _parser()


def render_markdown(text: str | None) -> Markup:
    """The HTML of an item's Markdown, safe to put in a page (the Jinja filter `markdown`)."""
    if not text:
        return Markup("")
    return Markup(_PARSER.render(text))  # noqa: S704 - the parser escapes all text and allows no HTML
