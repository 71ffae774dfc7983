"""Test helpers shared by every app's tests (imported by conftest.py and by benchmarks)."""

import datetime as dt

from django.utils import timezone

from ciqcredit.enterprises.codes import credit_code_check_char, org_code_check_char
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.enterprises.types import encode_types
from ciqcredit.organizations.models import Organization

# Registration-authority code 9 (工商) + type 1 (企业) + a 6-digit area code, as on real codes.
_AREA_CODES = ["440300", "110105", "310115", "330212", "350200", "440106"]


def org_code_for(n: int) -> str:
    body = f"{n % 100_000_000:08d}"
    return body + org_code_check_char(body)


def credit_code_for(n: int, area: str | None = None) -> str:
    """A valid unified social credit code, deterministic in n: 91 + area + organization code + check."""
    area = area or _AREA_CODES[n % len(_AREA_CODES)]
    first17 = "91" + area + org_code_for(n)
    return first17 + credit_code_check_char(first17)


def make_enterprise(
    n: int,
    org: Organization,
    *,
    name: str | None = None,
    types: tuple[str, ...] = ("importer",),
    status: str = "active",
    registered_on: dt.date | None = None,
) -> Enterprise:
    """A registry row for tests; bypasses the import service on purpose (fixture data, not behaviour)."""
    now = timezone.now()
    return Enterprise.objects.create(
        credit_code=credit_code_for(n),
        name=name or f"测试贸易有限公司{n}",
        org_code=org_code_for(n),
        types=encode_types(types),
        registering_org=org,
        registered_on=registered_on or dt.date(2015, 1, 1),
        status=status,
        created_at=now,
        updated_at=now,
    )


def require_postgres() -> None:
    """Skip (with the reason) a concurrency test on SQLite, which serializes every writer."""
    import pytest
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL row locks; SQLite serializes every writer")


def run_together(jobs: list) -> list:
    """Run the callables at once, each in its own thread and database connection; re-raise the first error."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []
    results: list = [None] * len(jobs)

    def worker(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except BaseException as exc:  # re-raised in the test's thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results
