"""Proving a backup restores: dump the database, restore it into a scratch database, compare every table's
row count and check that the audit table's guards came back (docs/operations.md)."""

import os
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.db import connection

from ciqcredit.audit.models import AuditEntry

AUDIT_TRIGGERS = {"audit_entry_no_update", "audit_entry_no_truncate"}
# Rows these tables gain or lose between the dump and the count (logins, expired sessions) prove nothing.
VOLATILE_TABLES = {"django_session"}


@dataclass
class BackupCheck:
    dump: Path
    tables: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)


def _libpq_env() -> dict[str, str]:
    s = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if s.get(key):
            env[name] = str(s[key])
    return env


def _connect(dbname: str) -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(
        dbname=dbname,
        host=s.get("HOST") or None,
        port=s.get("PORT") or None,
        user=s.get("USER") or None,
        password=s.get("PASSWORD") or None,
        autocommit=True,
    )


def _counts(conn: psycopg.Connection) -> dict[str, int]:
    tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
    counts = {}
    for table in tables:
        row = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        counts[table] = row[0] if row else 0
    return counts


def backup_check(*, keep: Path | None = None) -> BackupCheck:
    """Dumps the configured PostgreSQL database (custom format) to `keep` or a temporary file, restores it into
    a scratch database that is dropped afterwards, and reports every difference found."""
    source = connection.settings_dict["NAME"]
    env = _libpq_env()
    workdir = Path(tempfile.mkdtemp(prefix="ciqcredit-backup-"))
    dump = keep or workdir / "ciqcredit.dump"
    result = BackupCheck(dump=dump)
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", source], env=env, check=True)
    scratch = f"{source}_restore_check_{uuid.uuid4().hex[:8]}"
    with _connect("postgres") as admin:
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        restore = subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={scratch}", str(dump)],
            env=env,
            capture_output=True,
            text=True,
        )
        if restore.returncode != 0:
            result.problems.append(f"pg_restore failed: {restore.stderr.strip()[-500:]}")
            return result
        with _connect(source) as live, _connect(scratch) as restored:
            before, after = _counts(live), _counts(restored)
            result.tables, result.rows = len(after), sum(after.values())
            for table in sorted(set(before) | set(after)):
                if table in VOLATILE_TABLES:
                    continue
                if table not in after:
                    result.problems.append(f"table {table} missing after restore")
                elif after[table] > before.get(table, 0) or (before.get(table, 0) and not after[table]):
                    result.problems.append(f"table {table}: {before.get(table)} rows live, {after[table]} restored")
            result.problems += _audit_guard_problems(restored)
    finally:
        with _connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        if keep is None:
            dump.unlink(missing_ok=True)
            workdir.rmdir()
    return result


def _audit_guard_problems(restored: psycopg.Connection) -> list[str]:
    table = AuditEntry._meta.db_table
    found = {
        r[0]
        for r in restored.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal AND tgenabled <> 'D'",
            [table],
        )
    }
    problems = [f"audit trigger {name} missing after restore" for name in sorted(AUDIT_TRIGGERS - found)]
    for statement in (f'UPDATE "{table}" SET action = action', f'TRUNCATE "{table}"'):
        try:
            with restored.transaction():
                restored.execute(statement)
        except psycopg.errors.InsufficientPrivilege:
            continue  # refused by the trigger, as it must be
        problems.append(f"after restore the audit table accepted: {statement}")
    return problems
