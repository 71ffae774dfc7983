"""The first import writes, without model instances, the rows the ORM writes (issue 14): each new enterprise as
`save()` would store it, and its audit row as `audit_log` would, column by column as the database holds them
(on SQLite the JSON text itself, keys in the same order). Only the ids, the moments and the code differ."""

from django.db import connection

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.audit.services import audit_log
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.enterprises.services import STORED_FIELDS, _audit_dict, _registry_for
from ciqcredit.enterprises.tests.registry_files import contract_row, import_file, write_registry
from ciqcredit.testing import credit_code_for


def _stored(model, pk) -> dict:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])
        names = [c[0] for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def test_the_import_writes_the_rows_of_the_orm(cast, tmp_path):
    rows = [
        contract_row(301),
        contract_row(302, types=[], registered_on="", status="cancelled", org_code="", address=""),
        contract_row(303, types=["supervised_warehouse", "importer"], org="475200", name="名称 “引号” \\ 反斜杠"),
    ]
    actor = Actor.job("test")
    result = import_file(write_registry(tmp_path / "registry.csv", rows), actor=actor)
    assert result.created == 3
    registry = _registry_for(actor)
    for n in (301, 302, 303):
        imported = Enterprise.objects.get(credit_code=credit_code_for(n))
        twin = Enterprise.objects.create(
            **{f: getattr(imported, f) for f in (*STORED_FIELDS, "created_at", "updated_at")},
            credit_code=credit_code_for(n + 100),
        )
        values = {f: getattr(twin, f) for f in STORED_FIELDS}
        audit_log(
            actor=actor,
            action="enterprises.enterprise.created",
            target=twin,
            new={"credit_code": imported.credit_code, **_audit_dict(STORED_FIELDS, values, registry)},
            organization_id=twin.registering_org_id,
        )
        moments = ("id", "credit_code", "created_at", "updated_at")
        bulk_row, orm_row = _stored(Enterprise, imported.pk), _stored(Enterprise, twin.pk)
        assert {k: v for k, v in bulk_row.items() if k not in moments} == {
            k: v for k, v in orm_row.items() if k not in moments
        }
        bulk_audit, orm_audit = (
            _stored(AuditEntry, AuditEntry.objects.get(action="enterprises.enterprise.created", target_id=pk).pk)
            for pk in (str(imported.pk), str(twin.pk))
        )
        others = ("id", "at", "target_id", "target_label")
        assert {k: v for k, v in bulk_audit.items() if k not in others} == {
            k: v for k, v in orm_audit.items() if k not in others
        }
        assert bulk_audit["target_label"] == Enterprise.label_of(imported.name, imported.credit_code)
