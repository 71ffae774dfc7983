"""Reads served by a streaming replica (issue 14): `DATABASE_REPLICA_URL` names a PostgreSQL hot standby of the
primary; read-only hot paths run inside `replica_reads()` (views: `@from_replica`) and their queries go there.

Everything else reads and writes the primary: writes always, reads outside a marked path, and reads inside a
transaction on the primary (a path that wrote must read its own writes). The replica is used only while it is
fresh: its replay lag is read at most once a second and, above `CIQCREDIT_REPLICA_MAX_LAG` seconds (default 1,
the decisions' one-second rule) or when it cannot be reached, reads go back to the primary until it catches up.
Without `DATABASE_REPLICA_URL` nothing changes: there is one database.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
PRIMARY = "default"
LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)

_reading: ContextVar[bool] = ContextVar("replica_reads", default=False)
_checked: dict[str, float] = {"at": -1.0, "lag": 0.0}
F = TypeVar("F", bound=Callable[..., Any])


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within the block, reads that need not see this request's writes may be served by the replica."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def from_replica(view: F) -> F:
    """A read-only view or endpoint whose queries the replica may serve."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def replica_lag() -> float | None:
    """Seconds the replica is behind the primary (0 when it has replayed all it received); None if unreachable."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL)
            return float(cursor.fetchone()[0])
    except DatabaseError:
        return None


def _fresh() -> bool:
    now = time.monotonic()
    if now - _checked["at"] >= 1.0:
        lag = replica_lag()
        _checked["at"], _checked["lag"] = now, float("inf") if lag is None else lag
    return _checked["lag"] <= settings.CIQCREDIT_REPLICA_MAX_LAG


def read_alias() -> str:
    """Where a read issued now goes."""
    if not _reading.get() or not replica_configured() or connections[PRIMARY].in_atomic_block:
        return PRIMARY
    return REPLICA if _fresh() else PRIMARY


class ReplicaRouter:
    """DATABASE_ROUTERS entry when a replica is configured (settings)."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database and its copy

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY  # the replica receives the schema by replication
