"""--partial writes the valid rows and reports the bad ones."""

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.enterprises.tests.registry_files import contract_row, import_file, write_registry
from ciqcredit.testing import credit_code_for


def test_partial_import_writes_valid_rows_and_reports_bad_ones(cast, tmp_path):
    rows = [contract_row(201), contract_row(202, registering_org="999999"), contract_row(203, org="475200")]
    path = write_registry(tmp_path / "registry.jsonl", rows)
    audits = AuditEntry.objects.count()

    result = import_file(path, actor=Actor.job("test"), partial=True, source="registry.jsonl")

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert [(e.line, e.field, e.code) for e in result.rejected] == [(2, "registering_org", "unknown_org_code")]
    assert set(Enterprise.objects.filter(name__startswith="深圳测试").values_list("credit_code", flat=True)) == {
        credit_code_for(201),
        credit_code_for(203),
    }
    new_audits = AuditEntry.objects.order_by("id")[audits:]
    assert [a.action for a in new_audits] == ["enterprises.enterprise.created"] * 2 + ["enterprises.import.completed"]
    summary = new_audits[2]
    assert summary.organization.code == "000000" and summary.actor_label == "system:test"
    assert summary.new == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "partial": True,
        "source": "registry.jsonl",
    }
