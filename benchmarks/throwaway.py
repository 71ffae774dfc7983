"""A fresh database for one benchmark run: a PostgreSQL database created and dropped by the script, or an
SQLite file in a temporary folder. Shared by the scripts beside this file (run as `python benchmarks/<script>.py`)."""

import datetime as dt
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


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
