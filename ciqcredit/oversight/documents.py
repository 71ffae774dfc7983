"""A circular's documents, rendered from its content snapshot: PDF (the platform's CJK font embedded) and DOCX."""

import io
from typing import Any

from django.http import HttpResponse

from ciqcredit.charts import Chart
from ciqcredit.oversight.circulars import circular_charts
from ciqcredit.oversight.models import Circular
from ciqcredit.pdfdoc import build_a4, chart_drawing, chinese_date, esc, grid_table, styles

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _figure_text(value: Any, share: bool) -> str:
    return f"{float(value) * 100:.1f}%" if share else str(value)


def _intro(content: dict[str, Any]) -> str:
    plan = content["plan"]
    return (
        f"根据企业信用管理工作督查和自查制度，{content['issuer']['name']}对{len(content['offices'])}个单位"
        f"{chinese_date(plan['from'])}至{chinese_date(plan['to'])}的企业信用管理工作开展了{plan['kind']}{plan['mode']}"
        f"（督查检查表第{plan['checklist']}版）。现将有关情况通报如下。"
    )


def ranking_rows(content: dict[str, Any]) -> list[list[str]]:
    header = ["名次", "单位", "得分", "符合", "基本符合", "不符合", *(c["label"] for c in content["columns"])]
    rows = [header]
    for o in content["offices"]:
        figures = [_figure_text(o["figures"][c["key"]], c["share"]) for c in content["columns"]]
        rows.append(
            [
                str(o["rank"]),
                o["name"],
                f"{o['score']:.1f}",
                str(o["compliant"]),
                str(o["basic"]),
                str(o["noncompliant"]),
                *figures,
            ]
        )
    return rows


def _finding_rows(content: dict[str, Any]) -> list[list[str]]:
    rows = [["单位", "项目", "发现的问题", "整改期限"]]
    for f in content["findings"]:
        rows.append([f["office"], f"{f['code']} {f['title']}", f["notes"], f["due_on"]])
    return rows


def render_circular_pdf(content: dict[str, Any]) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    st = styles()

    def table(rows: list[list[str]], widths: list[float]) -> Any:
        return grid_table([[Paragraph(esc(cell), st.cell) for cell in row] for row in rows], widths)

    ranking = ranking_rows(content)
    n_cols = len(ranking[0])
    story: list[Any] = [
        Paragraph(esc(content["issuer"]["name"]), st.issuer),
        Paragraph(esc(content["title"]), st.title),
        Paragraph(esc(content["number"]), st.number),
        Spacer(1, 6 * mm),
        Paragraph(esc(_intro(content)), st.body),
        Paragraph("一、各单位督查数据与排名", st.heading),
        table(ranking, [10 * mm, 28 * mm] + [132 * mm / (n_cols - 2)] * (n_cols - 2)),
        Spacer(1, 4 * mm),
    ]
    for chart in circular_charts(content):
        story += [chart_drawing(chart), table([chart.header, *chart.rows()], [60 * mm, 40 * mm]), Spacer(1, 4 * mm)]
    story.append(Paragraph("二、发现的主要问题", st.heading))
    if content["findings"]:
        story.append(table(_finding_rows(content), [30 * mm, 50 * mm, 65 * mm, 25 * mm]))
        story.append(Paragraph("请有关单位在整改期限内完成整改，并通过平台报送整改情况和证明材料。", st.body))
    else:
        story.append(Paragraph("本次督查未发现不符合项目。", st.body))
    story += [
        Spacer(1, 12 * mm),
        Paragraph(f"{esc(content['issuer']['name'])}（机构代码 {esc(content['issuer']['code'])}）", st.right),
        Paragraph(esc(chinese_date(content["published_on"])), st.right),
    ]
    return build_a4(
        story, title=f"{content['title']} {content['number']}", author=content["issuer"]["name"], subject="督查通报"
    )


def _docx_table(document: Any, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def _docx_chart(document: Any, chart: Chart) -> None:
    """A chart in Word as a table of bars drawn with block characters (no picture renderer needed)."""
    document.add_paragraph(chart.title)
    top = max((max(s.values, default=0) for s in chart.series), default=0) or 1
    rows = [["单位", *(s.label for s in chart.series), "图示"]]
    for i, category in enumerate(chart.categories):
        first = chart.series[0].values[i] if chart.series else 0
        rows.append([category, *(chart.fmt(s.values[i]) for s in chart.series), "█" * round(20 * first / top)])
    _docx_table(document, rows)


def render_circular_docx(content: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "SimSun"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    document.core_properties.title = f"{content['title']} {content['number']}"
    document.core_properties.author = content["issuer"]["name"]
    for text, size in ((content["issuer"]["name"], 16), (content["title"], 20), (content["number"], 12)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.font.size, run.bold = Pt(size), size == 20
    document.add_paragraph(_intro(content))
    document.add_heading("一、各单位督查数据与排名", level=2)
    _docx_table(document, ranking_rows(content))
    for chart in circular_charts(content):
        _docx_chart(document, chart)
    document.add_heading("二、发现的主要问题", level=2)
    if content["findings"]:
        _docx_table(document, _finding_rows(content))
        document.add_paragraph("请有关单位在整改期限内完成整改，并通过平台报送整改情况和证明材料。")
    else:
        document.add_paragraph("本次督查未发现不符合项目。")
    for text in (
        f"{content['issuer']['name']}（机构代码 {content['issuer']['code']}）",
        chinese_date(content["published_on"]),
    ):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def circular_response(circular: Circular, fmt: str) -> HttpResponse:
    """The circular as a file download (pages and API alike), named by its number."""
    if fmt == "docx":
        response = HttpResponse(render_circular_docx(circular.content), content_type=DOCX_TYPE)
    else:
        fmt = "pdf"
        response = HttpResponse(render_circular_pdf(circular.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="circular-{circular.number}.{fmt}"'
    return response
