"""Charts drawn by the platform itself: plain SVG markup from plain numbers (no JavaScript, no CDN).

Each function returns markup safe to put in a page: every text is escaped. The numbers are also shown in a
table beside each chart, so the chart is a picture of the table, never the only place a figure appears.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

GRADE_COLOURS = {"AA": "#15803d", "A": "#22c55e", "B": "#3b82f6", "C": "#f59e0b", "D": "#dc2626", "": "#9ca3af"}
FONT = 'font-family="Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif" font-size="12"'


@dataclass(frozen=True)
class ShareBar:
    label: str  # e.g. "B级"
    colour: str
    actual: float  # 0–1: the share inspected
    prescribed: float  # 0–1: the prescribed sampling rate
    count: int


def share_chart(bars: Sequence[ShareBar], *, title: str, width: int = 560, height: int = 260) -> SafeString:
    """Per group a bar of the share inspected, with a black mark at the prescribed rate."""
    left, right, top, bottom = 44, 12, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" class="chart" {FONT}>',
        f'<text x="{left}" y="16" font-size="13" font-weight="600">{escape(title)}</text>',
    ]
    for i in range(0, 101, 20):
        y = top + plot_h - plot_h * i / 100
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#6b7280">{i}%</text>')
    slot = plot_w / max(len(bars), 1)
    bar_w = min(48.0, slot * 0.6)
    for n, bar in enumerate(bars):
        x = left + slot * n + (slot - bar_w) / 2
        h = plot_h * max(0.0, min(bar.actual, 1.0))
        y = top + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{bar.colour}">'
            f"<title>{escape(bar.label)}：实际查验 {bar.actual:.1%}，规定 {bar.prescribed:.1%}，"
            f"共 {bar.count} 票</title></rect>"
        )
        py = top + plot_h - plot_h * max(0.0, min(bar.prescribed, 1.0))
        parts.append(
            f'<line x1="{x - 6:.1f}" x2="{x + bar_w + 6:.1f}" y1="{py:.1f}" y2="{py:.1f}" stroke="#111827" '
            'stroke-width="3"/>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{bar.actual:.0%}</text>'
            f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle">{escape(bar.label)}</text>'
        )
    legend_y = height - 8
    parts.append(
        f'<rect x="{left}" y="{legend_y - 9}" width="12" height="10" fill="#3b82f6"/>'
        f'<text x="{left + 16}" y="{legend_y}">实际查验比例</text>'
        f'<line x1="{left + 110}" x2="{left + 130}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="#111827" '
        'stroke-width="3"/>'
        f'<text x="{left + 136}" y="{legend_y}">规定抽批比例（平均）</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


@dataclass(frozen=True)
class DayColumn:
    label: str  # e.g. "03-02"
    counts: dict[str, int]  # grade → decisions


def daily_chart(
    days: Sequence[DayColumn], grades: Sequence[tuple[str, str]], *, title: str, width: int = 760, height: int = 260
) -> SafeString:
    """Decisions per day, stacked by governing grade (`grades`: (slug, label) in stacking order)."""
    left, right, top, bottom = 52, 12, 28, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((sum(d.counts.values()) for d in days), default=0) or 1
    step = _nice_step(peak)
    ceiling = step * -(-peak // step)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" class="chart" {FONT}>',
        f'<text x="{left}" y="16" font-size="13" font-weight="600">{escape(title)}</text>',
    ]
    for value in range(0, ceiling + 1, step):
        y = top + plot_h - plot_h * value / ceiling
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#6b7280">{value}</text>')
    slot = plot_w / max(len(days), 1)
    col_w = max(2.0, slot * 0.75)
    every = max(1, round(len(days) / 12))
    for n, day in enumerate(days):
        x = left + slot * n + (slot - col_w) / 2
        base = float(top + plot_h)
        for slug, label in grades:
            count = day.counts.get(slug, 0)
            if not count:
                continue
            h = plot_h * count / ceiling
            base -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{col_w:.1f}" height="{h:.1f}" '
                f'fill="{GRADE_COLOURS.get(slug, "#9ca3af")}"><title>{escape(day.label)} {escape(label)}：{count} 票'
                "</title></rect>"
            )
        if n % every == 0:
            parts.append(
                f'<text x="{x + col_w / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle" fill="#6b7280">'
                f"{escape(day.label)}</text>"
            )
    x = float(left)
    for slug, label in grades:
        parts.append(
            f'<rect x="{x}" y="{height - 17}" width="12" height="10" fill="{GRADE_COLOURS.get(slug, "#9ca3af")}"/>'
            f'<text x="{x + 16}" y="{height - 8}">{escape(label)}</text>'
        )
        x += 24 + 13 * len(label)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _nice_step(peak: int) -> int:
    raw = max(1, peak // 5)
    magnitude = 10 ** (len(str(raw)) - 1)
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude
