"""Benchmark the periodic evaluation (issue 5): N enterprises, M effective records, the real command.

    .venv/bin/python benchmarks/evaluation.py [--enterprises 1000000] [--records 10000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python benchmarks/evaluation.py

Builds its own database (SQLite: a throwaway file in a temporary directory; PostgreSQL: a database
`ciq_rating_bench_<pid>` on the server of DATABASE_URL, created before and dropped after), migrates it, publishes
the reference rule set, and generates the data straight into the tables with set-based SQL on the server
(`generate_series` on PostgreSQL, a recursive CTE on SQLite — no per-row Python, faster than COPY or
executemany): enterprises over every organization (3 % registered during the period), effective records
spread over the period and a little beyond it, one activity month for 90 % of the enterprises, and a previous
grade for 70 % (1 % of them AA). Secondary indexes of the records table are built after the load.

Then, on the same warm database, it times the baseline — the bare set-based aggregate of the same records
(points and count per enterprise in the period, computed in full by the server) — and the full periodic
evaluation through the real `ciqcredit evaluate --period-end 2017-09-30 --json` (results stored, ready for
confirmation and explanation), and prints both times and their ratio.
"""

import argparse
import datetime as dt
import io
import json
import os
import sys
import time
from pathlib import Path

from throwaway import neutral_columns, report, throwaway_django

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

TODAY = dt.date(2017, 10, 9)
PERIOD_START = dt.date(2016, 10, 1)
PERIOD_END = dt.date(2017, 9, 30)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument(
        "--db-name", default=f"ciq_rating_bench_{os.getpid()}", help="PostgreSQL database to create and drop"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args()


def step(label: str):
    class _Step:
        def __enter__(self):
            self.t = time.perf_counter()
            print(f"  {label} …", end="", flush=True)

        def __exit__(self, *exc):
            print(f" {time.perf_counter() - self.t:.1f} s", flush=True)

    return _Step()


def series(n: int, select: str) -> str:
    """`select` over g = 1..n (the expression uses `g`)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"{select} FROM generate_series(1, {n}) AS s(g)"
    return f"WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {n}) {select} FROM s"


def load(n_enterprises: int, n_records: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from ciqcredit.actors import Actor
    from ciqcredit.catalogue.models import CatalogueItem, CatalogueVersion, RuleSetVersion
    from ciqcredit.collection.models import CreditRecord
    from ciqcredit.organizations.models import Organization, User
    from ciqcredit.organizations.services import reference_organizations_load
    from ciqcredit.rules.params import RuleSetParams

    pg = connection.vendor == "postgresql"
    now = timezone.now()
    reference_organizations_load(actor=Actor.job("bench"))
    org_ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    user = User.objects.create(username="bench", organization_id=org_ids[0])
    version = CatalogueVersion.objects.create(
        number=1,
        status="published",
        effective_from=dt.date(2014, 1, 1),
        created_by_label="bench",
        created_at=now,
        published_at=now,
    )
    item = CatalogueItem.objects.create(
        version=version,
        code="B01",
        name="基准条目",
        category="supervision",
        points=1,
        department="检验监管司",
        collection="manual",
        stage="",
        association_kind="generated_j",
    )
    RuleSetVersion.objects.create(
        number=1,
        status="published",
        params=RuleSetParams().model_dump(mode="json"),
        effective_from=dt.date(2014, 1, 1),
        created_by_label="bench",
        created_at=now,
        published_at=now,
    )
    ts = "now()" if pg else "datetime('now')"
    code = "'B' || lpad(g::text, 17, '0')" if pg else "printf('B%017d', g)"
    add_days = (
        (lambda base, expr: f"(date '{base}' + ({expr})::int)")
        if pg
        else (lambda base, expr: f"date('{base}', '+' || ({expr}) || ' days')")
    )
    orgs = len(org_ids)
    org_case = "CASE g % " + str(orgs) + " " + " ".join(f"WHEN {i} THEN {pk}" for i, pk in enumerate(org_ids)) + " END"
    rec = CreditRecord._meta.db_table

    with step(f"{n_enterprises:,} enterprises"), transaction.atomic(), connection.cursor() as c:
        registered = add_days("2010-01-01", "CASE WHEN g % 33 = 0 THEN 2500 + g % 300 ELSE g % 2400 END")
        c.execute(
            "INSERT INTO enterprises_enterprise (credit_code, name, org_code, ciq_registration_no, "
            "legal_representative, address, main_business, types, registering_org_id, registered_on, status, "
            "created_at, updated_at) "
            + series(
                n_enterprises,
                f"SELECT {code}, '基准企业' || g, '', '', '', '', '', ';importer;', {org_case}, "
                f"{registered}, 'active', {ts}, {ts}",
            )
        )
        c.execute("SELECT MIN(id) FROM enterprises_enterprise")
        first_id = c.fetchone()[0]

    # Secondary indexes (and the one-act constraint) are built once after the load: much faster than per row.
    indexes = list(CreditRecord._meta.indexes)
    constraints = list(CreditRecord._meta.constraints)
    with connection.schema_editor() as editor:
        for index in indexes:
            editor.remove_index(CreditRecord, index)
        for constraint in constraints:
            editor.remove_constraint(CreditRecord, constraint)
    if not pg:
        with connection.cursor() as c:  # outside a transaction: SQLite ignores these inside one
            c.execute("PRAGMA foreign_keys = OFF")
            c.execute("PRAGMA synchronous = OFF")
    with step(f"{n_records:,} effective records"), transaction.atomic(), connection.cursor() as c:
        if pg:
            c.execute("SET LOCAL session_replication_role = replica")  # no per-row FK triggers during the load
        occurred = add_days("2016-09-15", "(g * 13) % 400")
        explicit = {
            "enterprise_id": f"{first_id} + (CAST(g AS BIGINT) * 7919) % {n_enterprises}",
            "item_id": str(item.pk),
            "item_code": "'B01'",
            "catalogue_version": "1",
            "points": "CASE g % 10 WHEN 0 THEN 6 WHEN 1 THEN 3 WHEN 2 THEN 2 ELSE 1 END",
            "act_ref": "'a' || g",
            "occurred_on": occurred,
            "discovered_on": occurred,
            "verified_on": occurred,
            "entered_at": ts,
            "effective_at": ts,
            "organization_id": str(org_ids[1]),
            "route": "'manual'",
            "association_no": "'J' || g",
            "status": "'effective'",
            "created_by_id": str(user.pk),
        }
        columns = neutral_columns(CreditRecord, explicit)
        c.execute(
            f"INSERT INTO {rec} ({', '.join(columns)}) " + series(n_records, "SELECT " + ", ".join(columns.values()))
        )
    if not pg:
        with connection.cursor() as c:
            c.execute("PRAGMA foreign_keys = ON")
            c.execute("PRAGMA synchronous = NORMAL")
    with step("record indexes"), connection.schema_editor() as editor:
        for index in indexes:
            editor.add_index(CreditRecord, index)
        for constraint in constraints:
            editor.add_constraint(CreditRecord, constraint)
    with step("activity and previous grades"), transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO rating_monthlyactivity (enterprise_id, month, declarations, declaration_errors, received_at, "
            f"updated_at) SELECT id, '2017-03-01', 10, 0, {ts}, {ts} FROM enterprises_enterprise WHERE id % 10 <> 0"
        )
        grade = "CASE WHEN id % 100 = 1 THEN 'AA' WHEN id % 3 = 0 THEN 'A' WHEN id % 3 = 1 THEN 'B' ELSE 'C' END"
        c.execute(
            "INSERT INTO rating_gradechange (enterprise_id, grade, previous_grade, controlled, cause, effective_from, "
            "ruleset_version, decided_by_label, reason, source_type, source_id, notice_number, recorded_at) "
            f"SELECT id, {grade}, '', FALSE, 'periodic', '2016-10-08', 1, 'bench', '', '', '', '', {ts} "
            "FROM enterprises_enterprise WHERE id % 10 < 7"
        )
        c.execute(
            "INSERT INTO rating_currentgrade (enterprise_id, grade, controlled, effective_from, cause, ruleset_version,"
            " change_id) SELECT enterprise_id, grade, controlled, effective_from, cause, ruleset_version, id "
            "FROM rating_gradechange"
        )
    with step("ANALYZE"), connection.cursor() as c:
        c.execute("ANALYZE")


def cpu_seconds() -> float | None:
    """CPU time spent so far by whoever computes: this process on SQLite, the connection's server process on a
    PostgreSQL of this machine (None elsewhere). Under a shared machine's load, wall times stretch with the
    queue for the cores; CPU times do not, so their ratio is the steadier one."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return time.process_time()
    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        pid = c.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def baseline_seconds() -> tuple[float, float | None]:
    """The bare aggregate, computed in full by the server (one row back, so transfer costs nothing): the best
    of two, wall and CPU seconds."""
    from django.db import connection, transaction

    from ciqcredit.rating.engine import bare_aggregate, tune_session

    query = bare_aggregate(start=PERIOD_START, end=PERIOD_END)
    best, best_cpu = None, None
    for _ in range(2):
        with transaction.atomic(), connection.cursor() as c:
            tune_session(c)
            cpu = cpu_seconds()
            t = time.perf_counter()
            c.execute(f"SELECT COUNT(*), SUM(t.p) FROM ({query.sql}) t", query.params)
            c.fetchone()
            elapsed = time.perf_counter() - t
            cpu_used = None if cpu is None else cpu_seconds() - cpu
        best = elapsed if best is None else min(best, elapsed)
        if cpu_used is not None:
            best_cpu = cpu_used if best_cpu is None else min(best_cpu, cpu_used)
    return best, best_cpu


def main() -> None:
    args = parse_args()
    with throwaway_django(args.db_name, prefix="ciq-eval-bench-", today=TODAY, keep=args.keep, time_migrate=True) as (
        database,
        workdir,
    ):
        from django.core.management import call_command

        print(f"评定基准：{database}，企业 {args.enterprises:,}，记录 {args.records:,}")
        load(args.enterprises, args.records)
        base, base_cpu = baseline_seconds()
        print(f"  基准聚合（裸 SQL）：{base:.2f} s")
        out = io.StringIO()
        cpu = cpu_seconds()
        t = time.perf_counter()
        call_command("evaluate", "--period-end", PERIOD_END.isoformat(), "--json", stdout=out)
        wall = time.perf_counter() - t
        cpu_used = None if cpu is None else cpu_seconds() - cpu
        summary = json.loads(out.getvalue())
        print(f"  周期评定（ciqcredit evaluate）：{wall:.2f} s（命令报告 {summary['seconds']} s）")
        print(f"  参评企业 {summary['enterprises']:,}；各等级 {summary['by_grade']}")
        print(f"结果：周期评定 {wall:.2f} s，基准聚合 {base:.2f} s，比值 {wall / base:.2f} （目标 ≤ 2.00 且 < 20 s）")
        cpu_ratio = round(cpu_used / base_cpu, 2) if cpu_used is not None and base_cpu else None
        if cpu_ratio is not None:
            print(f"  CPU 时间：周期评定 {cpu_used:.2f} s，基准聚合 {base_cpu:.2f} s，比值 {cpu_ratio:.2f}")
        from django.db import connection

        from ciqcredit.rating.models import EvaluationRun

        phases = {p["phase"]: p["seconds"] for p in EvaluationRun.objects.get(pk=summary["run_id"]).phases}
        report(
            "evaluation",
            connection.vendor,
            summary["enterprises"],
            wall,
            records=args.records,
            baseline_s=round(base, 3),
            ratio=round(wall / base, 2),
            cpu_s=None if cpu_used is None else round(cpu_used, 3),
            cpu_baseline_s=None if base_cpu is None else round(base_cpu, 3),
            cpu_ratio=cpu_ratio,
            phases=phases,
        )


if __name__ == "__main__":
    main()
