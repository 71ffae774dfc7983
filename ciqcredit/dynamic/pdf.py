"""The written notice as PDF, rendered from the notice's content snapshot with a Chinese font embedded.

The font, the styles and the A4 document are the platform's (ciqcredit.pdfdoc), shared with supervision
circulars.
"""

from django.http import HttpResponse

from ciqcredit.pdfdoc import build_a4, chinese_date, esc, grid_table, styles


def render_notice_pdf(content: dict) -> bytes:
    """The PDF of a notice snapshot (see notices.notice_content)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    st = styles()
    body, plain, cell, title, issuer_title, number, right = (
        st.body,
        st.plain,
        st.cell,
        st.title,
        st.issuer,
        st.number,
        st.right,
    )

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
    table = grid_table(rows, [12 * mm, 50 * mm, 22 * mm, 38 * mm, 12 * mm, 36 * mm])
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
        Paragraph(esc(content["defence"]["text"]), body),
        Paragraph("特此告知。", body),
        Spacer(1, 14 * mm),
        Paragraph(f"{esc(issuer['name'])}（机构代码 {esc(issuer['code'])}）", right),
        Paragraph(esc(chinese_date(content["drafted_on"])), right),
        Spacer(1, 10 * mm),
        Paragraph("送达回证：签收人＿＿＿＿＿＿　签收日期＿＿＿＿年＿＿月＿＿日", plain),
    ]
    return build_a4(
        story, title=f"{content['title']} {content['number']}", author=issuer["name"], subject=content["kind_label"]
    )


def notice_pdf_response(notice) -> HttpResponse:
    """The notice as a PDF file download (pages and API alike), named by its number."""
    response = HttpResponse(render_notice_pdf(notice.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.number}.pdf"'
    return response
