"""Generated business association numbers (§三(七)): `J`/`W` + organization code + YYYYMMDD + 3-digit serial.

One atomic upsert per number: `INSERT … ON CONFLICT … DO UPDATE SET last = last + 1 WHERE last < 999
RETURNING last`. On PostgreSQL the conflicting row stays locked until the caller's transaction ends, so
concurrent saves queue on it and a rolled-back save gives its serial back: the serials are gap-free.
SQLite (≥ 3.35 has RETURNING) serializes writers anyway. At 999 the WHERE stops the update, no row comes
back, and the save is refused with `serial_exhausted`: the counter never wraps.
"""

import datetime as dt

from django.db import connection

from ciqcredit.collection.models import AssociationSerial
from ciqcredit.collection.rules import MAX_SERIAL, format_association_no
from ciqcredit.errors import DomainError
from ciqcredit.organizations.models import Organization


def _sql() -> str:
    table = connection.ops.quote_name(AssociationSerial._meta.db_table)
    return (
        f"INSERT INTO {table} (prefix, organization_id, day, last) VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT (prefix, organization_id, day) DO UPDATE SET last = {table}.last + 1 "
        f"WHERE {table}.last < %s RETURNING last"
    )


def association_no_next(*, prefix: str, organization: Organization, day: dt.date) -> str:
    """The next number of the day. Call inside the transaction that saves the record carrying it."""
    if not connection.in_atomic_block:
        raise RuntimeError("association numbers are allocated inside the record's transaction")
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [prefix, organization.pk, day, MAX_SERIAL])
        row = cursor.fetchone()
    if row is None:
        raise DomainError(
            "serial_exhausted",
            f"{organization.name}{day:%Y年%m月%d日}的{prefix}类业务关联号已用完（每日最多{MAX_SERIAL}个），"
            "请于次日再保存或联系管理员",
            {
                "prefix": prefix,
                "org_code": organization.code,
                "day": day.isoformat(),
                "max": MAX_SERIAL,
            },
            status=409,
        )
    return format_association_no(prefix, organization.code, day, int(row[0]))
