"""Importing a spreadsheet with bad rows is refused with every error listed (row, field, code) and nothing changed."""

import io

import pytest
from openpyxl import Workbook

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.catalogue.choices import Kind
from ciqcredit.catalogue.exchange import version_import
from ciqcredit.catalogue.exporting import export_version
from ciqcredit.catalogue.services import version_draft_create
from ciqcredit.catalogue.validation import ITEM_FIELDS
from ciqcredit.errors import DomainError

from .conftest import SYSTEM

GOOD = ["Z-01", "好条目", "其他", "", "", 1, "否", "否", "importer", "法规司", "manual", "", "generated_j", "否"]


def _xlsx(rows, header=None):
    book = Workbook()
    book.active.title = "采集条目"
    sheet = book.active
    sheet.append(header or list(ITEM_FIELDS.values()))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _row(**changes):
    row = list(GOOD)
    for name, value in changes.items():
        row[list(ITEM_FIELDS).index(name)] = value
    return row


def _errors(exc):
    return [(e["row"], e["field"], e["code"]) for e in exc.value.details["errors"]]


def test_bad_rows_are_all_listed_and_nothing_changes(reference, cast):
    draft = version_draft_create(kind=Kind.CATALOGUE, actor=Actor.of(cast.hq_admin))
    before = export_version(draft, "yaml")
    audit_before = AuditEntry.objects.count()
    content = _xlsx(
        [
            _row(),  # row 2: good
            _row(code="Z-02", category="不存在的类别"),  # row 3
            _row(code="Z-03", points=-3),  # row 4
            _row(code="Z-04", enterprise_types="importer;spaceship"),  # row 5
            _row(),  # row 6: duplicate of row 2
            _row(code="Z-06", collection="telepathy", stage="lunch", association_kind="fax"),  # row 7
            _row(code="Z-07", collection="auto", stage="", association_kind="penalty"),  # row 8
            [None] * len(GOOD),  # blank rows are skipped
            _row(code="Z-08", points="十", serious="也许"),  # row 10
        ]
    )
    with pytest.raises(DomainError) as exc:
        version_import(version=draft, content=content, fmt="xlsx", actor=Actor.of(cast.hq_admin))
    assert exc.value.code == "import_invalid"
    assert "未作任何修改" in exc.value.message
    assert _errors(exc) == [
        (3, "category", "unknown_category"),
        (4, "points", "negative_points"),
        (5, "enterprise_types", "unknown_enterprise_type"),
        (6, "code", "duplicate_code"),
        (7, "association_kind", "unknown_association_kind"),
        (7, "collection", "unknown_collection"),
        (7, "stage", "unknown_stage"),
        (8, "association_kind", "association_mismatch"),
        (8, "stage", "stage_required"),
        (10, "points", "bad_points"),
        (10, "serious", "bad_boolean"),
    ]
    messages = {e["code"]: e["message"] for e in exc.value.details["errors"]}
    assert "spaceship" in messages["unknown_enterprise_type"]
    assert "第2行" in messages["duplicate_code"]
    draft.refresh_from_db()
    assert export_version(draft, "yaml") == before
    assert AuditEntry.objects.count() == audit_before


def test_unknown_columns_and_a_missing_code_column_are_errors(reference):
    draft = version_draft_create(kind=Kind.CATALOGUE, actor=SYSTEM)
    header = ["名称", "颜色"]
    with pytest.raises(DomainError) as exc:
        version_import(version=draft, content=_xlsx([["x", "红"]], header=header), fmt="xlsx", actor=SYSTEM)
    codes = {e["code"] for e in exc.value.details["errors"]}
    assert {"unknown_column", "missing_column"} <= codes
    assert draft.items.count() == 49


def test_a_file_that_is_not_a_spreadsheet_is_refused(reference):
    draft = version_draft_create(kind=Kind.CATALOGUE, actor=SYSTEM)
    with pytest.raises(DomainError) as exc:
        version_import(version=draft, content=b"not a zip", fmt="xlsx", actor=SYSTEM)
    assert exc.value.code == "bad_file"


def test_bad_rule_set_params_are_reported_with_chinese_paths(reference):
    draft = version_draft_create(kind=Kind.RULESET, actor=SYSTEM)
    doc = (
        b"kind: ruleset\nparams:\n  period: {months: 0}\n  immediate_downgrade: {floor: E, colour: red}\n"
        b"  bands: [{min_points: 1, max_points: null, grade: B}]\n"
    )
    with pytest.raises(DomainError) as exc:
        version_import(version=draft, content=doc, fmt="yaml", actor=SYSTEM)
    messages = sorted(e["message"] for e in exc.value.details["errors"])
    assert messages == [
        "即时降级 › colour：不是已知参数",
        "即时降级 › 最低降至：须为以下之一：'AA', 'A', 'B', 'C' or 'D'",
        "评定周期 › 月数：不能小于1",
    ]
    assert {e["field"] for e in exc.value.details["errors"]} == {
        "period.months",
        "immediate_downgrade.floor",
        "immediate_downgrade.colour",
    }


def test_a_department_editor_imports_only_their_own_items(reference, cast):
    draft = version_draft_create(kind=Kind.CATALOGUE, actor=Actor.of(cast.hq_rules))
    content = _xlsx([_row(code="Z-01", department="检验监管司"), _row(code="Z-02", department="食品局")])
    with pytest.raises(DomainError) as exc:
        version_import(version=draft, content=content, fmt="xlsx", actor=Actor.of(cast.hq_rules))
    assert _errors(exc) == [(3, "department", "department_forbidden")]
    content = _xlsx([_row(code="Z-01", department="检验监管司"), _row(code="JG-01", department="检验监管司")])
    with pytest.raises(DomainError) as exc:  # JG-01 is 通关业务司's and stays: its code is taken
        version_import(version=draft, content=content, fmt="xlsx", actor=Actor.of(cast.hq_rules))
    assert _errors(exc) == [(3, "code", "duplicate_code")]
    others = set(draft.items.exclude(department="检验监管司").values_list("code", flat=True))
    summary = version_import(
        version=draft,
        content=_xlsx([_row(code="Z-01", department="检验监管司")]),
        fmt="xlsx",
        actor=Actor.of(cast.hq_rules),
    )
    assert summary.added == ["Z-01"] and "JG-07" in summary.removed
    assert set(draft.items.exclude(department="检验监管司").values_list("code", flat=True)) == others
    assert list(draft.items.filter(department="检验监管司").values_list("code", flat=True)) == ["Z-01"]
