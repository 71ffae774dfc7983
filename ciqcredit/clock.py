"""The platform's idea of now and today. CIQCREDIT_TODAY pins the date for demos and tests."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    pinned = settings.CIQCREDIT_TODAY
    return pinned if pinned is not None else timezone.localdate()


def now() -> dt.datetime:
    """Current instant; with a pinned date, the same wall-clock time on that date (Asia/Shanghai)."""
    current = timezone.localtime()
    pinned = settings.CIQCREDIT_TODAY
    if pinned is None:
        return current
    return current.replace(year=pinned.year, month=pinned.month, day=pinned.day)


def sql_instant(instant: dt.datetime) -> Any:
    """An instant as a raw-SQL parameter, stored exactly as the ORM stores it (UTC on SQLite, timestamptz on
    PostgreSQL), so rows written by bulk SQL sort among rows written through models."""
    from django.db import connection

    return connection.ops.adapt_datetimefield_value(instant)
