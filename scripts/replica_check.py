"""The platform against a primary and its streaming replica (run by scripts/replica_check.sh).

DATABASE_URL points at the primary, DATABASE_REPLICA_URL at the hot standby. Migrates and sets up the primary,
writes an enterprise and its grade there, then calls the e-CIQ grade lookup (`GET /api/v1/enterprises/<code>/grade`,
a path marked `@from_replica`) and counts which server answered each query; checks that a write and a read inside
a transaction stay on the primary; and measures how long a committed grade change takes to become visible on the
replica. Ends with one JSON line.
"""

import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ciqcredit.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "replica-check-" + "x" * 40)


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections, transaction
    from django.test import Client

    from ciqcredit.actors import Actor
    from ciqcredit.administration.reference import load_reference_data
    from ciqcredit.enterprises.models import Enterprise
    from ciqcredit.organizations.models import Organization
    from ciqcredit.organizations.services import api_client_create
    from ciqcredit.rating.models import GradeChange
    from ciqcredit.rating.services.grades import grade_change_apply
    from ciqcredit.replica import read_alias, replica_lag, replica_reads
    from ciqcredit.testing import make_enterprise

    call_command("migrate", verbosity=0)
    setup = Actor.job("replica-check")
    load_reference_data(actor=setup)
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')")
        in_recovery, replica_port = cursor.fetchone()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')")
        primary_recovery, primary_port = cursor.fetchone()
    assert in_recovery and not primary_recovery, (in_recovery, primary_recovery)
    print(f"primary :{primary_port} (read-write), replica :{replica_port} (hot standby, in recovery)")

    hq = Organization.objects.get(code="000000")
    n = Enterprise.objects.count() + 1
    enterprise = make_enterprise(900000 + n, hq, name=f"副本检验企业{n}")
    grade_change_apply(
        enterprise=enterprise, grade="A", cause="initial", effective_from=dt.date(2017, 1, 1), actor=setup
    )
    _, token = api_client_create(name=f"replica-check-{n}", organization=hq, scopes=["eciq_intake"], actor=setup)

    def visible_on_replica(change_id: int, timeout: float = 10.0) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if GradeChange.objects.using("replica").filter(pk=change_id).exists():
                return time.perf_counter() - started
            time.sleep(0.002)
        raise SystemExit(f"grade change {change_id} not on the replica after {timeout} s")

    visible_on_replica(GradeChange.objects.filter(enterprise=enterprise).latest("id").pk)

    served: dict[str, list[str]] = {"default": [], "replica": []}

    def recorder(alias):
        def wrapper(execute, sql, params, many, context):
            served[alias].append(sql)
            return execute(sql, params, many, context)

        return wrapper

    client = Client(headers={"Authorization": f"Bearer {token}"})
    with connections["default"].execute_wrapper(recorder("default")):
        with connections["replica"].execute_wrapper(recorder("replica")):
            response = client.get(f"/api/v1/enterprises/{enterprise.credit_code}/grade")
    assert response.status_code == 200, response.content
    assert response.json()["grade"] == "A", response.json()
    grade_reads = {alias: [q for q in sqls if "rating_gradechange" in q] for alias, sqls in served.items()}
    print(
        f"GET grade lookup: {len(served['replica'])} queries on the replica, {len(served['default'])} on the primary "
        f"(the token check); grade queries: replica {len(grade_reads['replica'])}, "
        f"primary {len(grade_reads['default'])}"
    )
    assert grade_reads["replica"] and not grade_reads["default"]

    with replica_reads():
        outside = read_alias()
        with transaction.atomic():
            inside = read_alias()  # a transaction that may have written reads the primary
    assert (outside, inside) == ("replica", "default"), (outside, inside)
    print(f"inside replica_reads: reads go to {outside}; inside a transaction on the primary: {inside}")

    delays = []
    for grade in ["B", "A", "B", "A", "B", "A", "B", "A", "B", "A"]:
        change = grade_change_apply(
            enterprise=enterprise, grade=grade, cause="adjustment", effective_from=dt.date(2017, 6, 1), actor=setup
        )
        delays.append(visible_on_replica(change.pk))
    lag = replica_lag()
    print(
        f"a committed grade change is visible on the replica after {statistics.median(delays) * 1000:.1f} ms (median "
        f"of {len(delays)}, max {max(delays) * 1000:.1f} ms); replay lag now {lag:.3f} s"
    )
    load = [round(v, 2) for v in os.getloadavg()]
    print(
        json.dumps(
            {
                "benchmark": "replica_check",
                "database": "postgresql",
                "rows": len(delays),
                "replica_queries": len(served["replica"]),
                "primary_queries": len(served["default"]),
                "visible_after_ms_median": round(statistics.median(delays) * 1000, 1),
                "visible_after_ms_max": round(max(delays) * 1000, 1),
                "replay_lag_s": lag,
                "loadavg": load,
            }
        )
    )


if __name__ == "__main__":
    main()
