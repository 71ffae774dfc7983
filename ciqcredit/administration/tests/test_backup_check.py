"""The runbook's restore drill (docs/operations.md) on real PostgreSQL: dump, restore into a scratch database,
counts and audit guards checked, scratch database gone afterwards."""

import pytest
from django.core.management import call_command
from django.db import connection

from ciqcredit.administration.backup import backup_check
from ciqcredit.audit.models import AuditEntry
from ciqcredit.conftest import build_cast

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def committed(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore need PostgreSQL")
    return build_cast()  # committed, so pg_dump sees it


def _databases() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database")
        return {r[0] for r in cursor.fetchall()}


def test_a_dump_restores_with_every_row_and_the_audit_guards(committed, tmp_path):
    result = backup_check(keep=tmp_path / "ciqcredit.dump")
    assert result.problems == []
    assert result.rows >= AuditEntry.objects.count() > 0 and result.tables > 30
    assert (tmp_path / "ciqcredit.dump").stat().st_size > 0
    scratch = f"{connection.settings_dict['NAME']}_restore_check_"
    assert not [name for name in _databases() if name.startswith(scratch)]  # the scratch database is dropped


def test_the_command_reports_success_in_chinese(committed, capsys):
    call_command("backup_check")
    assert "备份恢复核对通过" in capsys.readouterr().out
