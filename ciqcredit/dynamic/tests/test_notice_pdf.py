"""The notice: numbered gap-free per organization and year, its content a snapshot, a real PDF with the
Chinese font embedded that carries the notice number; a clear error when the font is missing."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from ciqcredit.dynamic import pdf
from ciqcredit.dynamic.models import Notice
from ciqcredit.dynamic.services import dynamic_recheck
from ciqcredit.dynamic.tests.fixtures import SETUP, fixture_grade, fixture_record, proceed
from ciqcredit.errors import DomainError
from ciqcredit.testing import make_enterprise


def _case(world, enterprise):
    fixture_grade(enterprise, "A")
    for day in (dt.date(2025, 12, 1), dt.date(2026, 1, 1)):
        fixture_record(enterprise, world.items["ordinary"], day, user=world.cast.branch_a_user)
    [case] = proceed(dynamic_recheck(enterprise=enterprise, trigger_record=None, actor=SETUP))
    return case


def test_numbers_are_consecutive_per_organization_and_year(world):
    first = _case(world, world.cast.enterprise).notice
    second = _case(world, make_enterprise(2, world.cast.branch_a)).notice
    elsewhere = _case(world, make_enterprise(3, world.cast.bureau_b)).notice
    assert (first.number, second.number) == ("475200-XG-2026-0001", "475200-XG-2026-0002")
    assert elsewhere.number == "110000-XG-2026-0001"


def test_snapshot_says_everything_the_guide_asks(world):
    content = _case(world, world.cast.enterprise).notice.content
    assert [r["item_name"] for r in content["records"]] == ["报检单证与货物不符"] * 2
    assert content["records"][0]["legal_basis"] == "《商检法实施条例》第46条"
    assert content["records"][0]["association_no"].startswith("CF")
    assert (content["total_points"], content["threshold"]) == (24, 24)
    assert content["intended_action"] == "即时降级，信用等级由A级降为B级，并实施布控"
    assert content["defence"] is None  # an immediate downgrade has no defence procedure (issue 15, item 2)
    assert content["issuer"] == {"code": "475200", "name": world.cast.branch_a.name}


def test_pdf_is_real_with_the_font_embedded(world, tmp_path):
    notice = _case(world, world.cast.enterprise).notice
    data = pdf.render_notice_pdf(notice.content)
    assert data.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert notice.number in text and "书面告知书" in text and "即时降级" in text
    path = tmp_path / "notice.pdf"
    path.write_bytes(data)
    if shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils (pdffonts) is not installed: embedding is checked with pypdf below only")
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    fonts = [line.split() for line in lines[2:]]
    assert fonts and all(cols[-5] == "yes" for cols in fonts), lines  # the "emb" column


def test_font_embedded_per_pypdf(world):
    data = pdf.render_notice_pdf(_case(world, world.cast.enterprise).notice.content)
    reader = PdfReader(io.BytesIO(data))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [
        f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for f in fonts.values()
        if "/DescendantFonts" in f.get_object()
    ]
    descriptors += [f.get_object()["/FontDescriptor"] for f in fonts.values() if "/FontDescriptor" in f.get_object()]
    assert descriptors and all("/FontFile2" in d.get_object() for d in descriptors)


def test_missing_font_is_a_clear_error(world, settings, tmp_path):
    settings.CIQCREDIT_NOTICE_FONT = str(tmp_path / "absent.ttc")
    notice = Notice.objects.get(pk=_case(world, world.cast.enterprise).notice.pk)
    with pytest.raises(DomainError) as err:
        pdf.render_notice_pdf(notice.content)
    assert err.value.code == "notice_font_missing" and "fonts-wqy-zenhei" in err.value.message


def test_notices_to_deliver_queue(world):
    from ciqcredit.dynamic.selectors import notices_to_deliver

    notice = _case(world, world.cast.enterprise).notice
    assert list(notices_to_deliver(world.cast.bureau_a_user)) == [notice]
    assert list(notices_to_deliver(world.cast.branch_a_user)) == []  # a collector does not deliver notices
    assert list(notices_to_deliver(world.cast.bureau_b_user)) == []
