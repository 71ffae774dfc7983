"""What every PDF the platform writes shares: the embedded CJK font, the paragraph styles and the A4 document.

reportlab embeds (subsets) TrueType outlines only, so the font must be a TrueType/TTC file: the default is
WenQuanYi Zen Hei from Debian's `fonts-wqy-zenhei` (Noto CJK is CFF-based and cannot be embedded).
The path comes from the setting CIQCREDIT_NOTICE_FONT (environment variable of the same name). Used by
written notices (dynamic) and supervision circulars (oversight).
"""

import io
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from ciqcredit.errors import DomainError

_registered: dict[str, str] = {}
_lock = threading.Lock()


def font_path() -> str:
    return settings.CIQCREDIT_NOTICE_FONT


def cjk_font() -> str:
    """Register the configured font with reportlab once per process; a clear error when it is missing."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    path = font_path()
    with _lock:
        if path in _registered:
            return _registered[path]
        if not Path(path).is_file():
            raise DomainError(
                "notice_font_missing",
                f"文书所需的中文字体文件不存在：{path}。"
                "请安装 fonts-wqy-zenhei，或设置 CIQCREDIT_NOTICE_FONT 指向 TrueType 字体",
                {"font": path},
                status=503,
            )
        name = f"NoticeCJK{len(_registered)}"
        try:
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
        except TTFError as exc:
            raise DomainError(
                "notice_font_unusable",
                f"文书字体无法嵌入（须为 TrueType 字体）：{path}",
                {"font": path, "error": str(exc)},
                status=503,
            ) from exc
        _registered[path] = name
        return name


@dataclass(frozen=True)
class Styles:
    font: str
    body: Any
    plain: Any
    cell: Any
    title: Any
    issuer: Any
    number: Any
    right: Any
    heading: Any


def styles() -> Styles:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    font = cjk_font()
    body = ParagraphStyle(
        "body", fontName=font, bulletFontName=font, fontSize=11.5, leading=19, wordWrap="CJK", firstLineIndent=23
    )
    plain = ParagraphStyle("plain", parent=body, firstLineIndent=0)
    return Styles(
        font=font,
        body=body,
        plain=plain,
        cell=ParagraphStyle("cell", fontName=font, bulletFontName=font, fontSize=9, leading=12, wordWrap="CJK"),
        title=ParagraphStyle("title", fontName=font, bulletFontName=font, fontSize=18, leading=26, alignment=TA_CENTER),
        issuer=ParagraphStyle(
            "issuer", fontName=font, bulletFontName=font, fontSize=14, leading=22, alignment=TA_CENTER
        ),
        number=ParagraphStyle(
            "number", fontName=font, bulletFontName=font, fontSize=11, leading=16, alignment=TA_CENTER
        ),
        right=ParagraphStyle("right", parent=plain, alignment=TA_RIGHT),
        heading=ParagraphStyle("heading", parent=plain, fontSize=13, leading=22, spaceBefore=6),
    )


def esc(value: object) -> str:
    """Text for a reportlab Paragraph (its markup is XML-like)."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chinese_date(iso: str) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"


def grid_table(rows: list[list[Any]], col_widths: list[float]) -> Any:
    """A bordered table with a grey header row that repeats on each page."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, colWidths=col_widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def build_a4(story: list[Any], *, title: str, author: str, subject: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title,
        author=author,
        subject=subject,
        # The canvas would start in Helvetica, listed unembedded: start it in the embedded font instead.
        initialFontName=cjk_font(),
    )
    doc.build(story)
    return buffer.getvalue()


def chart_drawing(chart: Any, *, width: float = 170 * 2.834645669, height: float = 170.0) -> Any:
    """A `ciqcredit.charts.Chart` drawn as bars with reportlab, for a PDF story (its table goes beside it)."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    from ciqcredit.charts import PALETTE

    font = cjk_font()
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, chart.title, fontName=font, fontSize=10))
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 40, 30, width - 50, height - 55
    bars.data = [list(s.values) or [0] for s in chart.series]
    bars.categoryAxis.categoryNames = [c if len(c) <= 8 else c[:7] + "…" for c in chart.categories] or [""]
    bars.categoryAxis.labels.fontName = font
    bars.categoryAxis.labels.fontSize = 7
    bars.valueAxis.labels.fontName = font
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.valueMin = 0
    if chart.percent:
        bars.valueAxis.labelTextFormat = lambda v: f"{v * 100:.0f}%"
    for i in range(len(chart.series)):
        bars.bars[i].fillColor = colors.HexColor(PALETTE[i % len(PALETTE)])
    drawing.add(bars)
    return drawing
