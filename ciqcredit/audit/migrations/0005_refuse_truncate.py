"""TRUNCATE skips row triggers, so 0003 let it empty the audit log: a statement trigger refuses it too.

PostgreSQL only (SQLite has no TRUNCATE). Only the tables' owner can TRUNCATE at all (the application role is
not granted it, docs/production.md), and an owner could drop the trigger anyway; so the one way through is
an explicit database setting, `ciqcredit.audit_truncate = 'allowed'`, which the test suite's throwaway
database sets for Django's flush between tests and production never does.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION audit_entry_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('ciqcredit.audit_truncate', true) = 'allowed' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'audit_auditentry is append-only: TRUNCATE refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_no_truncate();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_no_truncate();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_readable_json")]

    operations = [migrations.RunPython(_run(PG_UP), _run(PG_DOWN))]
