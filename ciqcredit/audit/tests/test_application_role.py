"""The audit log holds against TRUNCATE, and against the application itself when it runs, as
docs/production.md says, as a real PostgreSQL role that does not own the tables."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.audit.services import audit_log

pytestmark = pytest.mark.postgres_only
APP_ROLE = "ciqcredit_app_under_test"


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("roles, privileges and TRUNCATE triggers are PostgreSQL's")


def _refused(sql: str) -> str:
    with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    return str(refused.value)


def test_truncate_is_refused_even_for_the_owner(postgres, cast):
    audit_log(actor=Actor.job("test"), action="test.thing.done", target=cast.hq)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL ciqcredit.audit_truncate = 'refused'")  # as in production
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending, so TRUNCATE reaches the trigger
    assert "TRUNCATE refused" in _refused("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.exists()


def test_the_application_role_appends_but_cannot_change_truncate_or_unguard(postgres, cast):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")  # rolled back with the test's transaction
    call_command("grant_app_role", APP_ROLE, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == APP_ROLE
    entry = audit_log(actor=Actor.job("test"), action="test.thing.done", target=cast.hq)  # the app works
    for sql in (
        f"UPDATE audit_auditentry SET action = 'tampered' WHERE id = {entry.pk}",
        f"DELETE FROM audit_auditentry WHERE id = {entry.pk}",
        "TRUNCATE audit_auditentry",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
        "DROP TRIGGER audit_entry_no_update ON audit_auditentry",
    ):
        message = _refused(sql)
        assert "permission denied" in message or "must be owner" in message, (sql, message)
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.thing.done"
    # Everything else stays writable for it.
    cast.hq.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE organizations_organization SET name = name WHERE id = %s", [cast.hq.pk])
