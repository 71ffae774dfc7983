import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.audit.services import audit_log


@pytest.fixture
def entry(cast):
    return audit_log(actor=Actor.job("test"), action="test.thing.done", target=cast.bureau_a, new={"x": 1})


def test_audit_row_keeps_actor_target_and_values(entry, cast):
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_label == "system:test"
    assert (stored.target_type, stored.target_id) == ("organizations.organization", str(cast.bureau_a.pk))
    assert stored.new == {"x": 1}


def test_update_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.thing.done"


@pytest.mark.postgres_only
def test_delete_is_refused_on_postgresql(entry):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE open for Django's test flush; PostgreSQL refuses it")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
