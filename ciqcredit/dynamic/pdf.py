"""The written notice as PDF, rendered from the notice's content snapshot with a Chinese font embedded.

reportlab embeds (subsets) TrueType outlines only, so the font must be a TrueType/TTC file: the default is
WenQuanYi Zen Hei from Debian's `fonts-wqy-zenhei` (Noto CJK is CFF-based and cannot be embedded).
The path comes from the setting CIQCREDIT_NOTICE_FONT (environment variable of the same name).
"""

import io
import threading
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse

from ciqcredit.errors import DomainError

_registered: dict[str, str] = {}
_lock = threading.Lock()


def font_path() -> str:
    return settings.CIQCREDIT_NOTICE_FONT


def _font_name() -> str:
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
                f"告知书所需的中文字体文件不存在：{path}。"
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
                f"告知书字体无法嵌入（须为 TrueType 字体）：{path}",
                {"font": path, "error": str(exc)},
                status=503,
            ) from exc
        _registered[path] = name
        return name


def render_notice_pdf(content: dict) -> bytes:
    """The PDF of a notice snapshot (see notices.notice_content)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font_name()
    body = ParagraphStyle(
        "body", fontName=font, bulletFontName=font, fontSize=11.5, leading=19, wordWrap="CJK", firstLineIndent=23
    )
    plain = ParagraphStyle("plain", parent=body, firstLineIndent=0)
    cell = ParagraphStyle("cell", fontName=font, bulletFontName=font, fontSize=9, leading=12, wordWrap="CJK")
    title = ParagraphStyle("title", fontName=font, bulletFontName=font, fontSize=18, leading=26, alignment=TA_CENTER)
    issuer_title = ParagraphStyle(
        "issuer", fontName=font, bulletFontName=font, fontSize=14, leading=22, alignment=TA_CENTER
    )
    number = ParagraphStyle("number", fontName=font, bulletFontName=font, fontSize=11, leading=16, alignment=TA_CENTER)
    right = ParagraphStyle("right", parent=plain, alignment=TA_RIGHT)

    def esc(value: object) -> str:
        return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    enterprise, issuer, period = content["enterprise"], content["issuer"], content["period"]
    story = [
        Paragraph(esc(issuer["name"]), issuer_title),
        Paragraph(esc(content["title"]), title),
        Paragraph(esc(content["number"]), number),
        Spacer(1, 6 * mm),
        Paragraph(f"{esc(enterprise['name'])}（统一社会信用代码：{esc(enterprise['credit_code'])}）：", plain),
        Paragraph(
            f"经查，你单位在{esc(period['start'])}至{esc(period['end'])}评定周期内存在下列失信行为，"
            f"已由检验检疫机构采集并确认生效：",
            body,
        ),
        Spacer(1, 2 * mm),
    ]
    header = ["序号", "条目", "发生日期", "业务关联号", "计分", "法律依据"]
    rows = [[Paragraph(h, cell) for h in header]]
    for i, record in enumerate(content["records"], start=1):
        flags = "（严重违法，已行政处罚）" if record.get("serious") and record.get("penalised") else ""
        flags += "（直接列入名单条目）" if record.get("enters_blacklist") else ""
        rows.append(
            [
                Paragraph(str(i), cell),
                Paragraph(f"{esc(record['item_code'])} {esc(record['item_name'])}{flags}", cell),
                Paragraph(esc(record["occurred_on"]), cell),
                Paragraph(esc(record["association_no"]), cell),
                Paragraph(str(record["points"]), cell),
                Paragraph(esc(record["legal_basis"] or "—"), cell),
            ]
        )
    table = Table(rows, colWidths=[12 * mm, 50 * mm, 22 * mm, 38 * mm, 12 * mm, 36 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    serious = f"，其中严重违法且受行政处罚的计分{content['serious_points']}分" if content.get("serious_points") else ""
    story += [
        table,
        Spacer(1, 3 * mm),
        Paragraph(f"以上合计失信计分{content['total_points']}分{serious}。", body),
        Paragraph(
            f"依据《出入境检验检疫企业信用管理办法》和现行信用等级评定规则（第{content['ruleset_version']}版），"
            f"{esc(content['rule_text'])}（触发分值：{content['threshold']}分）。",
            body,
        ),
        Paragraph(f"本机构拟对你单位作出如下处理：{esc(content['intended_action'])}。", body),
        *([Paragraph(esc(content["defence"]["text"]), body)] if content.get("defence") else []),
        Paragraph("特此告知。", body),
        Spacer(1, 14 * mm),
        Paragraph(f"{esc(issuer['name'])}（机构代码 {esc(issuer['code'])}）", right),
        Paragraph(esc(_chinese_date(content["drafted_on"])), right),
        Spacer(1, 10 * mm),
        Paragraph("送达回证：签收人＿＿＿＿＿＿　签收日期＿＿＿＿年＿＿月＿＿日", plain),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"{content['title']} {content['number']}",
        author=issuer["name"],
        subject=content["kind_label"],
        # The canvas would start in Helvetica, listed unembedded: start it in the embedded font instead.
        initialFontName=font,
    )
    doc.build(story)
    return buffer.getvalue()


def _chinese_date(iso: str) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"


def notice_pdf_response(notice) -> HttpResponse:
    """The notice as a PDF file download (pages and API alike), named by its number."""
    response = HttpResponse(render_notice_pdf(notice.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.number}.pdf"'
    return response
