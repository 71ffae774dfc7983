"""The grade certificate as PDF: the platform's A4 document and embedded CJK font (ciqcredit.pdfdoc), with the
verification code and a QR code of the public verification address (drawn as vector squares from segno's matrix,
so it stays sharp when printed)."""

from django.http import HttpResponse

from ciqcredit.certificates.models import GradeCertificate
from ciqcredit.pdfdoc import build_a4, chinese_date, esc, styles


def qr_drawing(text: str, *, size: float):
    """A reportlab Drawing of the QR code of `text` (error correction M, with its quiet zone)."""
    import segno
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.lib import colors

    qr = segno.make(text, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    border = 4
    modules = len(matrix) + 2 * border
    unit = size / modules
    drawing = Drawing(size, size)
    drawing.add(Rect(0, 0, size, size, fillColor=colors.white, strokeColor=None))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                drawing.add(
                    Rect(
                        (x + border) * unit,
                        size - (y + border + 1) * unit,
                        unit,
                        unit,
                        fillColor=colors.black,
                        strokeColor=None,
                    )
                )
    return drawing


def render_certificate_pdf(certificate: GradeCertificate, *, verify_url: str) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table

    st = styles()
    enterprise, issuer = certificate.enterprise, certificate.organization
    story = [
        Paragraph(esc(issuer.name), st.issuer),
        Paragraph("企业信用等级证明", st.title),
        Paragraph(f"验证码：{esc(certificate.display_code)}", st.number),
        Spacer(1, 8 * mm),
        Paragraph(
            f"兹证明：{esc(enterprise.name)}（统一社会信用代码：{esc(enterprise.credit_code)}），"
            f"经出入境检验检疫企业信用管理平台评定，自{chinese_date(certificate.grade_from.isoformat())}起"
            f"信用等级为<b>{esc(certificate.grade)}级</b>"
            + (f"（评定规则第{certificate.ruleset_version}版）" if certificate.ruleset_version else "")
            + "。",
            st.body,
        ),
        Paragraph(
            "本证明所载信用等级以出具后的变动为准：企业信用等级变更、列入严重失信企业名单或本证明被撤销的，本证明即失效。"
            "请扫描右侧二维码或访问下列网址，输入验证码核验本证明是否仍然有效。",
            st.body,
        ),
        Spacer(1, 6 * mm),
    ]
    info = [
        Paragraph(f"核验网址：{esc(verify_url)}", st.plain),
        Paragraph(f"验证码：{esc(certificate.display_code)}", st.plain),
        Paragraph(f"出具日期：{chinese_date(certificate.issued_on.isoformat())}", st.plain),
    ]
    table = Table([[info, qr_drawing(verify_url, size=38 * mm)]], colWidths=[120 * mm, 45 * mm])
    story += [
        table,
        Spacer(1, 14 * mm),
        Paragraph(f"{esc(issuer.name)}（机构代码 {esc(issuer.code)}）", st.right),
        Paragraph(esc(chinese_date(certificate.issued_on.isoformat())), st.right),
    ]
    return build_a4(
        story, title=f"企业信用等级证明 {certificate.display_code}", author=issuer.name, subject="企业信用等级证明"
    )


def certificate_pdf_response(certificate: GradeCertificate, *, verify_url: str) -> HttpResponse:
    response = HttpResponse(render_certificate_pdf(certificate, verify_url=verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response
