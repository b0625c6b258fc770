"""Markdown of content items: what a coach writes shows as text and links, never as a page's own code."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from aandacht.personalisation.markdown import render_markdown


def links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', html)


def test_plain_markdown_becomes_headings_emphasis_lists_and_links():
    html = render_markdown(
        "# Sollicitatietips\n\nSchrijf **kort** en *duidelijk*.\n\n- Je cv\n- Je brief\n\n"
        "[Meer tips](https://www.werk.nl/tips) of mail <info@gemeente.nl>."
    )
    assert isinstance(html, Markup)
    assert "<h1>Sollicitatietips</h1>" in html
    assert "<strong>kort</strong>" in html and "<em>duidelijk</em>" in html
    assert "<li>Je cv</li>" in html
    assert links(html) == ["https://www.werk.nl/tips", "mailto:info@gemeente.nl"]
    assert 'rel="nofollow noopener noreferrer"' in html


def test_a_script_and_other_html_show_as_text():
    html = render_markdown(
        "Hallo <script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n"
        '<a href="https://x.nl" onclick="steal()">klik</a>\n\n<iframe src="https://evil.example"></iframe>'
    )
    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<a " not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java&#x09;script:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "//evil.example/phish",
        "/app/settings",
        "tel:+31612345678",
    ],
)
def test_a_link_anywhere_but_the_web_or_an_email_address_stays_plain_words(target):
    html = render_markdown(f"Lees [dit bericht]({target}) nu.")
    assert links(html) == []
    assert "dit bericht" in html


def test_a_reference_link_and_an_autolink_to_script_are_not_links():
    html = render_markdown("[klik][x] en <javascript:alert(1)>\n\n[x]: javascript:alert(1)")
    assert links(html) == []


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("https://cdn.example.org/foto.jpg", True),
        ("/static/aandacht/foto.png", True),
        ("data:image/png;base64,iVBORw0KGgo=", False),
        ("javascript:alert(1)", False),
        ("//evil.example/pixel.gif", False),
    ],
)
def test_images_come_only_from_web_addresses_or_this_site(source, shown):
    html = render_markdown(f"![Een foto]({source})")
    assert ("<img" in html) is shown
    if shown:
        assert f'src="{source}"' in html and 'alt="Een foto"' in html
    else:
        assert "Een foto" in html


def test_no_text_gives_nothing():
    assert render_markdown("") == Markup("") and render_markdown(None) == Markup("")
