"""Charts drawn by the platform itself: SVG markup built on the server, no script and no outside library."""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

# Grade colours run from green (AA) to red (D); the two states without a grade in force are greys.
COLUMN_COLOURS: dict[str, str] = {
    "AA": "#1b7f3b",
    "A": "#4caf50",
    "B": "#f2c037",
    "C": "#f08c2e",
    "D": "#c62828",
    "awaiting": "#8fa3bf",
    "unrated": "#d5d9de",
}


@dataclass(frozen=True)
class Bar:
    label: str
    cells: list[int]  # one count per column


def stacked_bars_svg(bars: list[Bar], columns: list[tuple[str, str]], *, title: str) -> SafeString:
    """Horizontal 100 % stacked bars, one per row, with a legend; each segment's tooltip gives its count and share.

    `columns`: (key, label) in the order of `Bar.cells`.
    """
    label_w, bar_w, total_w, row_h, gap, legend_h = 220, 640, 80, 22, 6, 28
    width = label_w + bar_w + total_w
    height = legend_h + len(bars) * (row_h + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    x = label_w
    for key, label in columns:
        parts.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{COLUMN_COLOURS.get(key, "#999")}"/>'
            f'<text x="{x + 16}" y="16" font-size="12">{escape(label)}</text>'
        )
        x += 16 + 14 * len(label) + 14
    for i, bar in enumerate(bars):
        y = legend_h + gap + i * (row_h + gap)
        total = sum(bar.cells)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + row_h - 6}" font-size="13" text-anchor="end">{escape(bar.label)}</text>'
        )
        offset = 0.0
        for (key, label), n in zip(columns, bar.cells, strict=True):
            if not n:
                continue
            w = bar_w * n / total
            share = f"{100 * n / total:.1f}"
            parts.append(
                f'<rect class="segment" data-column="{key}" x="{label_w + offset:.1f}" y="{y}" width="{w:.1f}" '
                f'height="{row_h}" fill="{COLUMN_COLOURS.get(key, "#999")}"><title>{escape(bar.label)} '
                f"{escape(label)}：{n} 家（{share}%）</title></rect>"
            )
            offset += w
        if not total:
            parts.append(f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="{row_h}" fill="#f4f5f7"/>')
        parts.append(f'<text x="{label_w + bar_w + 8}" y="{y + row_h - 6}" font-size="13">{total} 家</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
