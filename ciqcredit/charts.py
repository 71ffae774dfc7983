"""The platform's one chart module: charts drawn on the server as SVG (no script, no CDN, no outside library),
each shown beside its table.

- `Chart` (categories, series of numbers, labels in Chinese) and `bar_svg`: grouped or stacked vertical bars
  with an axis, gridlines, a legend and a <title> per bar for hover, sized to its container; the page puts the
  chart's table next to it (`chart.rows()`, the `{% chart %}` tag), so every number is readable without the
  picture. PDF documents draw the same `Chart` with reportlab (`ciqcredit.pdfdoc.chart_drawing`).
- `stacked_bars_svg`: horizontal 100 % stacked bars, one per organization, for distributions (the grade
  distribution page, which shows its own table beside it).
- `share_chart` and `daily_chart`: the release decisions' statistics (application), each beside its table.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

# Colour-blind-safe palette (Okabe–Ito), in series order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999")


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""
    stacked: bool = False
    percent: bool = False  # values are shares 0..1, shown as percentages
    notes: tuple[str, ...] = field(default_factory=tuple)

    def fmt(self, value: float) -> str:
        if self.percent:
            return f"{value * 100:.1f}%"
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"

    def rows(self) -> list[list[str]]:
        """The chart's table: one row per category, one column per series."""
        return [[c, *(self.fmt(s.values[i]) for s in self.series)] for i, c in enumerate(self.categories)]

    @property
    def header(self) -> list[str]:
        return ["", *(s.label for s in self.series)]

    @property
    def empty(self) -> bool:
        return not self.categories or all(not any(s.values) for s in self.series)


def _nice_max(value: float, percent: bool) -> float:
    """A top for the axis that four gridlines divide into round numbers (counts: whole numbers)."""
    if percent:
        return 1.0 if value > 0.6 else max(0.2, -(-value * 10 // 2) * 0.2 if value else 0.2)
    if value <= 4:
        return 4.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10):
        top = step * magnitude
        if top >= value and (top / 4).is_integer():
            return float(top)
    return float(10 * magnitude)


def bar_svg(chart: Chart, *, width: int = 560, height: int = 260) -> str:
    """The chart as an inline SVG element (responsive: width 100%, aspect kept by the viewBox)."""
    n_cat, n_ser = max(1, len(chart.categories)), max(1, len(chart.series))
    left, right, top = 56, 12, 28
    # Labels that do not fit under their bar are drawn slanted, with room below for them.
    fits = max((len(c) for c in chart.categories), default=0) * 11 <= (width - left - right) / n_cat
    bottom = 64 if fits else 110
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [
        sum(s.values[i] for s in chart.series) if chart.stacked else max((s.values[i] for s in chart.series), default=0)
        for i in range(len(chart.categories))
    ]
    top_value = _nice_max(max(totals, default=0), chart.percent)
    group_w = plot_w / n_cat
    bar_w = group_w * 0.7 / (1 if chart.stacked else n_ser)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(chart.title)}" preserveAspectRatio="xMidYMid meet">',
        f'<text x="{left}" y="16" class="chart-title" font-size="13" font-weight="bold">{escape(chart.title)}</text>',
    ]
    for k in range(5):
        value = top_value * k / 4
        y = top + plot_h - plot_h * k / 4
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end" fill="#555">'
            f"{escape(chart.fmt(value))}</text>"
        )
    for i, category in enumerate(chart.categories):
        x0 = left + group_w * i + group_w * 0.15
        base: float = top + plot_h
        for j, series in enumerate(chart.series):
            value = series.values[i]
            h = plot_h * (value / top_value) if top_value else 0
            colour = PALETTE[j % len(PALETTE)]
            x = x0 if chart.stacked else x0 + bar_w * j
            y = base - h
            tip = f"{category} · {series.label}：{chart.fmt(value)}{chart.unit}"
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{max(h, 0):.1f}" fill="{colour}">'
                f"<title>{escape(tip)}</title></rect>"
            )
            if chart.stacked:
                base = y
        label = category if len(category) <= 12 else category[:11] + "…"
        cx = left + group_w * (i + 0.5)
        y_label = top + plot_h + 14
        if fits:
            parts.append(
                f'<text x="{cx:.1f}" y="{y_label}" font-size="10" text-anchor="middle" fill="#333">'
                f"{escape(label)}</text>"
            )
        else:
            parts.append(
                f'<text x="{cx:.1f}" y="{y_label}" font-size="10" text-anchor="end" fill="#333" '
                f'transform="rotate(-35 {cx:.1f} {y_label})">{escape(label)}</text>'
            )
    parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#333"/>')
    lx = left
    for j, series in enumerate(chart.series):
        y = height - 18
        parts.append(f'<rect x="{lx}" y="{y - 9}" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>')
        parts.append(f'<text x="{lx + 14}" y="{y}" font-size="11" fill="#333">{escape(series.label)}</text>')
        lx += 24 + 12 * len(series.label)
    parts.append("</svg>")
    return "".join(parts)


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


# --- Release decisions (application): share of inspections per grade, decisions per day. ---

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
