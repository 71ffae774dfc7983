"""A caller imports only enterprises registered within its organization subtree."""

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.enterprises.services import enterprises_import
from ciqcredit.enterprises.tests.registry_files import contract_row, import_file, write_registry
from ciqcredit.testing import credit_code_for


def test_bureau_b_cannot_import_an_enterprise_registered_at_bureau_a(cast, tmp_path):
    rows = [contract_row(400, org="110000"), contract_row(401, org="470000")]
    enterprises = Enterprise.objects.count()

    result = import_file(write_registry(tmp_path / "registry.csv", rows), actor=Actor.of(cast.bureau_b_user))

    assert [(e.line, e.field, e.code) for e in result.rejected] == [(3, "registering_org", "out_of_scope")]
    assert Enterprise.objects.count() == enterprises


def test_bureau_b_cannot_take_over_an_enterprise_of_bureau_a(cast, tmp_path):
    row = contract_row(1, org="110000", name=cast.enterprise.name)  # the cast's enterprise, registered at 475200

    result = import_file(
        write_registry(tmp_path / "registry.jsonl", [row]), actor=Actor.of(cast.bureau_b_user), partial=True
    )

    assert [(e.line, e.field, e.code) for e in result.rejected] == [(1, "credit_code", "out_of_scope")]
    cast.enterprise.refresh_from_db()
    assert cast.enterprise.registering_org == cast.branch_a


def test_bureau_a_imports_for_its_branch_and_the_summary_is_its_own(cast, tmp_path):
    audits = AuditEntry.objects.count()

    path = write_registry(tmp_path / "registry.csv", [contract_row(402, org="475200")])
    result = import_file(path, actor=Actor.of(cast.bureau_a_user))

    assert (result.created, result.rejected) == (1, [])
    summary = AuditEntry.objects.order_by("id")[audits + 1]
    assert summary.action == "enterprises.import.completed"
    assert summary.organization == cast.bureau_a and summary.target_id == str(cast.bureau_a.pk)
    assert summary.actor == cast.bureau_a_user


def test_scope_org_narrows_a_system_run(cast):
    rows = [(1, contract_row(403, org="475200")), (2, contract_row(404, org="110000"))]

    result = enterprises_import(rows=rows, actor=Actor.job("test"), scope_org=cast.bureau_a, partial=True)

    assert result.created == 1
    assert [(e.line, e.code) for e in result.rejected] == [(2, "out_of_scope")]
    assert Enterprise.objects.filter(credit_code=credit_code_for(403)).exists()
