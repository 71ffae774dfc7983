"""A fresh database for one benchmark run: a PostgreSQL database created and dropped by the script, or an
SQLite file in a temporary folder. Shared by the scripts beside this file (run as `python benchmarks/<script>.py`)."""

import datetime as dt
import json
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent


def pg_admin(url: str, sql: str) -> None:
    """Run `sql` on the server's maintenance database (CREATE/DROP DATABASE cannot run inside another)."""
    import psycopg

    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql)


def prepare_database(db_name: str, workdir: Path, today: dt.date | None = None) -> tuple[str, str | None]:
    """Point the settings at a fresh database; returns (label, PostgreSQL URL to drop afterwards, or None).

    PostgreSQL when DATABASE_URL points at one, else SQLite under `workdir`. Query logging (DEBUG) is off: it
    would keep every multi-megabyte INSERT in memory and skew the timing.
    """
    url = os.environ.get("DATABASE_URL", "")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    if today is not None:
        os.environ["CIQCREDIT_TODAY"] = today.isoformat()
    if url.startswith("postgres"):
        bench_url = urlunsplit(urlsplit(url)._replace(path=f"/{db_name}"))
        pg_admin(url, f'DROP DATABASE IF EXISTS "{db_name}"')
        pg_admin(url, f'CREATE DATABASE "{db_name}"')
        os.environ["DATABASE_URL"] = bench_url
        return f"postgresql:{db_name}", bench_url
    os.environ.pop("DATABASE_URL", None)
    os.environ["CIQCREDIT_VAR_DIR"] = str(workdir)  # settings put the SQLite file there
    return f"sqlite:{workdir / 'ciqcredit.sqlite3'}", None


def timed(label: str, fn: Callable[[], Any]) -> float:
    """Run one step of a benchmark, printing its label and seconds on one line."""
    import time

    print(f"  {label} …", end="", flush=True)
    started = time.perf_counter()
    fn()
    seconds = time.perf_counter() - started
    print(f" {seconds:.1f} s", flush=True)
    return seconds


@contextmanager
def throwaway_django(
    db_name: str,
    *,
    prefix: str,
    today: dt.date | None = None,
    keep: bool = False,
    time_migrate: bool = False,
) -> Iterator[tuple[str, Path]]:
    """The scaffolding every benchmark shares: a fresh database (prepare_database), Django set up on it and
    migrated (timed and printed when `time_migrate`); afterwards the connections are closed, the PostgreSQL
    database dropped and the folder removed, unless `keep`. Yields the database's label and the folder (for the
    run's own files)."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    label, drop_url = prepare_database(db_name, workdir, today)
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ciqcredit.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    try:
        if time_migrate:
            timed("migrate", lambda: call_command("migrate", verbosity=0))
        else:
            call_command("migrate", verbosity=0)
        yield label, workdir
    finally:
        connections.close_all()
        if drop_url and not keep:
            pg_admin(drop_url, f'DROP DATABASE IF EXISTS "{db_name}"')
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept: {workdir} {label}")


def report(benchmark: str, database: str, rows: int, seconds: float, **figures: Any) -> dict[str, Any]:
    """Print the run's figures as one JSON line (the last line of every benchmark), with the machine's load
    average: the machine is shared, and absolute times under load say less than ratios taken in the same run."""
    line = {
        "benchmark": benchmark,
        "database": database,
        "rows": rows,
        "rate_per_s": round(rows / seconds) if seconds else None,
        "seconds": round(seconds, 3),
        **figures,
        "loadavg": [round(v, 2) for v in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    print(json.dumps(line, ensure_ascii=False), flush=True)
    return line


@contextmanager
def profiled(path: str | None) -> Iterator[None]:
    """Run the block under cProfile when `path` is given, and write the stats there (read them with pstats)."""
    if not path:
        yield
        return
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        profiler.dump_stats(path)
        print(f"profile: {path}")


def bare_copy_seconds(tables: list[str]) -> float:
    """The database's own rate for rows already written: copy `tables` into empty twins with the same indexes
    and constraints (no checks, no Python), timed. The yardstick the loaders' rates are compared with."""
    import time

    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f'CREATE TABLE "bare_{table}" (LIKE "{table}" INCLUDING ALL)')
            else:
                cursor.execute(
                    "SELECT sql FROM sqlite_master WHERE tbl_name = %s AND type IN ('table', 'index')"
                    " AND sql IS NOT NULL ORDER BY type DESC",
                    [table],
                )
                for (sql,) in cursor.fetchall():
                    sql = sql.replace('INDEX "', 'INDEX "bare_', 1).replace(f'"{table}"', f'"bare_{table}"', 1)
                    cursor.execute(sql)
            cursor.execute(f'INSERT INTO "bare_{table}" SELECT * FROM "{table}"')
        transaction.set_rollback(True)
    return time.perf_counter() - started


def neutral_columns(model, explicit: dict[str, str]) -> dict[str, str]:
    """SQL values for an INSERT … SELECT into `model`: `explicit` plus a neutral value for every other NOT NULL
    column (false, empty text or JSON, the field's default), so generated rows satisfy the schema."""
    columns = dict(explicit)
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in columns or field.null:
            continue
        kind = field.get_internal_type()
        if kind == "BooleanField":
            columns[field.column] = "FALSE"
        elif kind == "JSONField":
            columns[field.column] = "'{}'"
        elif kind in ("CharField", "TextField"):
            columns[field.column] = "''"
        elif field.has_default():
            columns[field.column] = str(field.get_default())
        else:
            raise SystemExit(f"基准脚本不知道如何填充 {model._meta.db_table}.{field.column}")
    return columns
