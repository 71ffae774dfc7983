"""Measures as typed data: decision parameters, the unregistered class and the published precedence."""

import pytest
import yaml

from ciqcredit.catalogue import editing
from ciqcredit.catalogue.choices import Kind
from ciqcredit.catalogue.diff import version_diff
from ciqcredit.catalogue.exchange import version_import
from ciqcredit.catalogue.exporting import export_version
from ciqcredit.catalogue.models import MeasureListVersion
from ciqcredit.catalogue.services import version_draft_create
from ciqcredit.catalogue.validation import clean_measure, clean_precedence
from ciqcredit.errors import DomainError

from .conftest import SYSTEM


def test_the_reference_list_carries_reference_values(reference):
    version = MeasureListVersion.objects.get(number=1)
    by_code = {m.code: m for m in version.measures.all()}
    assert [str(by_code[f"{g}-DR-01"].sampling_ratio.normalize()) for g in ("AA", "A", "B", "C", "D", "CT")] == [
        "0.05",
        "0.1",
        "0.3",
        "0.6",
        "1",
        "1",
    ]
    aa = by_code["AA-DR-01"]
    assert (aa.document_review, aa.priority, aa.green_channel, aa.paperless) == ("waived", True, True, True)
    assert by_code["UR-DR-01"].grade == "unregistered" and by_code["UR-DR-01"].green_channel is False
    assert by_code["B-DS-01"].priority is None  # not set by a daily-supervision measure
    assert version.precedence == {
        "sampling_rate": "highest",
        "document_review": "strictest",
        "facilitation": "all_parties",
    }


def test_cleaning_checks_the_new_parameters():
    data, errors = clean_measure(
        {
            "code": "X-1",
            "grade": "未备案企业",
            "area": "申报放行",
            "title": "t",
            "document_review": "简化审核",
            "priority": "是",
            "green_channel": "",
            "paperless": "否",
            "sampling_ratio": "25%",
        }
    )
    assert errors == []
    assert (data["grade"], data["document_review"], data["priority"], data["green_channel"], data["paperless"]) == (
        "unregistered",
        "simplified",
        True,
        None,
        False,
    )
    _, errors = clean_measure(
        {
            "code": "X-2",
            "grade": "B",
            "area": "daily_supervision",
            "title": "t",
            "document_review": "lenient",
            "priority": True,
        }
    )
    assert {e.code for e in errors} == {"unknown_document_review", "priority_wrong_area"}
    _, errors = clean_measure({"code": "X-3", "grade": "B", "area": "approval", "title": "t", "sampling_ratio": "0.3"})
    assert [e.code for e in errors] == ["sampling_ratio_wrong_area"]
    assert clean_precedence({"sampling_rate": "lowest"})[0]["sampling_rate"] == "lowest"
    assert [e.field for e in clean_precedence({"sampling_rate": "median", "color": "x"})[1]] == [
        "precedence.sampling_rate",
        "precedence.color",
    ]


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_an_import_changes_the_precedence_and_the_diff_says_so(reference, fmt):
    published = MeasureListVersion.objects.get(number=1)
    draft = version_draft_create(kind=Kind.MEASURES, actor=SYSTEM)
    assert draft.precedence == published.precedence  # copied with the measures
    if fmt == "yaml":
        doc = yaml.safe_load(export_version(published, "yaml"))
        doc["precedence"]["facilitation"] = "any_party"
        doc["measures"][1]["paperless"] = False
        content = yaml.safe_dump(doc, allow_unicode=True).encode()
    else:
        from io import BytesIO

        from openpyxl import load_workbook

        book = load_workbook(BytesIO(export_version(published, "xlsx")))
        meta = book["版本"]
        for row in meta.iter_rows():
            if row[0].value == "precedence.facilitation":
                row[1].value = "任一方符合即给予便利"
        sheet = book["差异化措施"]
        header = [c.value for c in sheet[1]]
        sheet.cell(row=3, column=header.index("无纸化") + 1, value="否")
        buffer = BytesIO()
        book.save(buffer)
        content = buffer.getvalue()
    summary = version_import(version=draft, content=content, fmt=fmt, actor=SYSTEM)
    draft.refresh_from_db()
    assert summary.precedence_changed and summary.changed == ["AA-DR-01"]
    diff = version_diff(published, draft)
    assert diff.params_changed == [{"path": "precedence.facilitation", "old": "all_parties", "new": "any_party"}]
    assert diff.changed[0].fields == {"paperless": {"old": True, "new": False}}


def test_a_bad_precedence_in_a_file_is_refused_with_nothing_changed(reference):
    published = MeasureListVersion.objects.get(number=1)
    draft = version_draft_create(kind=Kind.MEASURES, actor=SYSTEM)
    doc = yaml.safe_load(export_version(published, "yaml"))
    doc["precedence"] = {"sampling_rate": "average"}
    with pytest.raises(DomainError) as caught:
        version_import(version=draft, content=yaml.safe_dump(doc).encode(), fmt="yaml", actor=SYSTEM)
    assert caught.value.code == "import_invalid"
    draft.refresh_from_db()
    assert draft.precedence == published.precedence


def test_editing_a_measure_sets_a_typed_parameter(
    reference,
):
    draft = version_draft_create(kind=Kind.MEASURES, actor=SYSTEM)
    measure = draft.measures.get(code="B-DR-01")
    editing.measure_update(measure=measure, fields={"document_review": "full", "priority": None}, actor=SYSTEM)
    measure.refresh_from_db()
    assert (measure.document_review, measure.priority) == ("full", None)
    assert "逐批全面审核" in measure.parameter_labels
