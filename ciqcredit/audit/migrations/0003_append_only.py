"""Audit rows are append-only: the database itself refuses to change them.

PostgreSQL refuses UPDATE and DELETE. SQLite refuses UPDATE only: Django's test flush empties tables
with DELETE there (PostgreSQL uses TRUNCATE, which a row trigger does not see).
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit_auditentry is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only: UPDATE refused'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_entry_no_update"


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        sql = sql_by_vendor.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql, params=None)
    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": PG_DOWN, "sqlite": SQLITE_DOWN}),
        ),
    ]
