"""Importing is idempotent by credit code: only what changed is written and audited."""

import datetime as dt

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.enterprises.tests.registry_files import contract_row, import_file, write_registry
from ciqcredit.testing import credit_code_for

SYSTEM = Actor.job("test")


def test_reimport_is_all_unchanged_and_audits_nothing_per_enterprise(cast, tmp_path):
    rows = [contract_row(300 + i, org="475200" if i % 2 else "470000") for i in range(6)]
    path = write_registry(tmp_path / "registry.csv", rows)

    first = import_file(path, actor=SYSTEM, batch_size=4)
    audits = AuditEntry.objects.count()
    second = import_file(path, actor=SYSTEM, batch_size=4)

    assert (first.created, first.updated, first.unchanged, first.rejected) == (6, 0, 0, [])
    assert (second.created, second.updated, second.unchanged, second.rejected) == (0, 0, 6, [])
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)[audits:]) == [
        "enterprises.import.completed"
    ]
    stored = Enterprise.objects.select_related("registering_org").get(credit_code=credit_code_for(301))
    assert stored.registering_org.code == "475200"
    assert stored.type_slugs == ["importer", "exporter"]
    assert stored.registered_on == dt.date(2016, 3, 1)


def test_created_enterprise_is_audited_with_its_values_at_its_registering_org(cast, tmp_path):
    import_file(write_registry(tmp_path / "registry.jsonl", [contract_row(310, org="475200")]), actor=SYSTEM)

    enterprise = Enterprise.objects.get(credit_code=credit_code_for(310))
    entry = AuditEntry.objects.get(action="enterprises.enterprise.created", target_id=str(enterprise.pk))
    assert entry.organization.code == "475200"
    assert entry.old is None
    assert entry.new["registering_org"] == "475200" and entry.new["types"] == ["importer", "exporter"]
    assert entry.new["registered_on"] == "2016-03-01" and entry.new["credit_code"] == credit_code_for(310)


def test_changing_one_field_updates_only_it_and_audits_old_and_new(cast, tmp_path):
    rows = [contract_row(320), contract_row(321)]
    import_file(write_registry(tmp_path / "v1.csv", rows), actor=SYSTEM)
    before = Enterprise.objects.get(credit_code=credit_code_for(320))
    audits = AuditEntry.objects.count()

    rows[0] = contract_row(320, address="深圳市南山区新地址1号")
    result = import_file(write_registry(tmp_path / "v2.csv", rows), actor=SYSTEM)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    after = Enterprise.objects.get(pk=before.pk)
    assert after.address == "深圳市南山区新地址1号"
    assert after.updated_at > before.updated_at and after.created_at == before.created_at
    assert [getattr(after, f) for f in ("name", "types", "status", "org_code")] == [
        getattr(before, f) for f in ("name", "types", "status", "org_code")
    ]
    entry = AuditEntry.objects.order_by("id")[audits]
    assert entry.action == "enterprises.enterprise.updated"
    assert entry.target_id == str(before.pk) and credit_code_for(320) in entry.target_label
    assert entry.old == {"address": "深圳市福田区测试路320号"}
    assert entry.new == {"address": "深圳市南山区新地址1号"}
    assert AuditEntry.objects.count() == audits + 2  # the update and the import summary
