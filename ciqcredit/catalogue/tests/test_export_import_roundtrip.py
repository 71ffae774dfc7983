"""Export → import gives back the same content, for the three kinds and both formats."""

import io

import pytest
from openpyxl import load_workbook

from ciqcredit.catalogue.choices import RULE_KINDS, Kind
from ciqcredit.catalogue.diff import version_diff
from ciqcredit.catalogue.exchange import version_import
from ciqcredit.catalogue.exporting import export_version, version_document
from ciqcredit.catalogue.models import VERSION_MODELS
from ciqcredit.catalogue.services import version_draft_create

from .conftest import SYSTEM


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
@pytest.mark.parametrize("kind", RULE_KINDS)
def test_round_trip_into_an_empty_draft(reference, kind, fmt):
    published = VERSION_MODELS[kind].objects.get(number=1)
    content = export_version(published, fmt)
    draft = version_draft_create(kind=kind, actor=SYSTEM, empty=True)
    summary = version_import(version=draft, content=content, fmt=fmt, actor=SYSTEM)
    draft.refresh_from_db()
    assert version_diff(published, draft).is_empty

    def strip(doc):
        return {k: v for k, v in doc.items() if k not in ("number", "status", "effective_from", "is_reference")}

    assert strip(version_document(draft)) == strip(version_document(published))
    if kind != Kind.RULESET:
        assert summary.rows == (published.items.count() if kind == Kind.CATALOGUE else published.measures.count())
        assert len(summary.added) == summary.rows


def test_the_spreadsheet_is_readable_by_people(reference):
    published = VERSION_MODELS[Kind.CATALOGUE].objects.get(number=1)
    book = load_workbook(io.BytesIO(export_version(published, "xlsx")))
    assert book.sheetnames == ["版本", "采集条目", "填写说明"]
    header = [c.value for c in book["采集条目"][1]]
    assert header[:3] == ["条目编号", "条目名称", "类别"]
    assert "参考值，待以正式发布的条目和规则替换" in [c.value for c in book["填写说明"]["C"]]


def test_reimporting_the_same_file_into_a_copy_changes_nothing(reference):
    published = VERSION_MODELS[Kind.MEASURES].objects.get(number=1)
    draft = version_draft_create(kind=Kind.MEASURES, actor=SYSTEM)
    summary = version_import(version=draft, content=export_version(published, "xlsx"), fmt="xlsx", actor=SYSTEM)
    assert (summary.added, summary.removed, summary.changed) == ([], [], [])
