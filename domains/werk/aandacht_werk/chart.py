"""A small bar chart of a person's search per month, drawn on the server as SVG (no script needed)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from aandacht_werk.service import Month

#: Size of the drawing in SVG units, the room under the bars for the months and above them for the
#: numbers; the page scales it to the width it has.
WIDTH, HEIGHT, BOTTOM, TOP = 360, 160, 24, 16


def months_chart(months: Sequence[Month], *, labels: Sequence[str], title: str, target_words: str) -> Markup:
    """Bars of applications and other activities per month, with the agreed number as a dashed line."""
    most = max([m.summary.total for m in months] + [m.target or 0 for m in months] + [1])
    step = WIDTH / max(len(months), 1)
    scale = (HEIGHT - BOTTOM - TOP) / most
    parts = [
        f'<svg class="werk-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        ' aria-labelledby="werk-chart-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="werk-chart-title">{escape(title)}</title>',
    ]
    base = HEIGHT - BOTTOM
    for index, (month, label) in enumerate(zip(months, labels, strict=True)):
        x = index * step + step * 0.2
        width = step * 0.6
        applications = month.summary.applications * scale
        others = (month.summary.total - month.summary.applications) * scale
        top, middle = base - applications - others, x + width / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{base - applications:.1f}" width="{width:.1f}" height="{applications:.1f}"'
            ' fill="currentColor" data-kind="application"/>'
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" height="{others:.1f}"'
            ' fill="currentColor" fill-opacity="0.35" data-kind="other"/>'
        )
        if month.target:
            y = base - month.target * scale
            parts.append(
                f'<line x1="{x - 2:.1f}" x2="{x + width + 2:.1f}" y1="{y:.1f}" y2="{y:.1f}"'
                f' stroke="currentColor" stroke-dasharray="4 2">'
                f"<title>{escape(target_words)}: {month.target}</title></line>"
            )
        parts.append(
            f'<text x="{middle:.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="11"'
            f' fill="currentColor">{escape(label)}</text>'
        )
        if month.summary.total:
            parts.append(
                f'<text x="{middle:.1f}" y="{top - 3:.1f}" text-anchor="middle"'
                f' font-size="11" fill="currentColor">{month.summary.total}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it is escaped above
