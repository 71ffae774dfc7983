"""Benchmark the daily tracking check (issue 10): N decisions with their execution reports, the real command.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python benchmarks/tracking.py
        [--decisions 10000000] [--keep]

PostgreSQL only (the production set-up). The script creates its own database (`ciq_tracking_bench` on the
server of DATABASE_URL, dropped afterwards unless --keep), migrates it, loads the reference organizations, and
generates set-based on the server (`generate_series`, no per-row Python): N release decisions over the twelve
months before the check day, across every organization, grades and areas mixed, sampling rates 0–100 % with
the draw behind `inspect`; execution reports for all but 1 % of them (and none for the last three days), of
which about 2 % deviate in one of the five ways, and one branch whose inspections fall short in every month.

Then it runs the real `ciqcredit tracking check --json` on the warm database: the first run (no mark yet)
reads the whole history and finds everything (deviations, unreported decisions, flagged cells, items); the
second, the same day, reads nothing new; the third, the next day after a day's decisions and reports (N/365)
arrived, reads only those: what a daily run costs once the history is settled. Target: the first run under
60 s. The last line is one JSON object with the figures and `os.getloadavg()` (the machine may be shared).
"""

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from throwaway import throwaway_django, timed

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

TODAY = dt.date(2026, 3, 16)
TARGET_SECONDS = 60


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=10_000_000)
    parser.add_argument("--db-name", default="ciq_tracking_bench", help="PostgreSQL database to create and drop")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args()


def stamp(day: dt.date, at: str = "18:00") -> str:
    """Reports of a day arrive before its evening (the check runs after midnight)."""
    return f"timestamptz '{day} {at}+08'"


def load(n: int) -> None:
    from django.db import connection, transaction

    from ciqcredit.actors import Actor
    from ciqcredit.organizations.models import Organization, User
    from ciqcredit.organizations.services import reference_organizations_load

    reference_organizations_load(actor=Actor(system="bench"))
    orgs = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    client = User.objects.create(username="bench-eciq", organization_id=orgs[0], is_system=True)
    org_case = f"(ARRAY{orgs})[1 + g % {len(orgs)}]"
    first_day = TODAY - dt.timedelta(days=365)

    def decisions():
        with transaction.atomic(), connection.cursor() as c:
            c.execute("SET LOCAL session_replication_role = replica")  # no per-row FK triggers during the load
            c.execute(
                f"""
                INSERT INTO application_decision (declaration_no, area, "on", organization_id, client_id, decided_at,
                    governing_grade, controlled, serious_listed, unregistered, sampling_rate, draw, inspect,
                    document_review, priority, green_channel, paperless, measures, measure_list_version,
                    ruleset_version, request)
                SELECT 'B' || lpad(g::text, 14, '0'),
                       CASE WHEN g % 5 = 0 THEN 'inspection' ELSE 'declaration_release' END,
                       date '{first_day}' + (g % 365), {org_case}, {client.pk}, now(),
                       (ARRAY['AA','A','A','B','B','C','D'])[1 + g % 7], FALSE, FALSE, FALSE,
                       r.rate, r.draw, r.draw < r.rate,
                       (ARRAY['waived','simplified','standard','standard','full'])[1 + g % 5],
                       g % 7 < 3, FALSE, FALSE, '[]'::jsonb, 1, 1, '{{}}'::jsonb
                FROM generate_series(1, {n}) AS s(g)
                CROSS JOIN LATERAL (
                    SELECT (ARRAY[0.01, 0.05, 0.05, 0.1, 0.3, 0.5, 1.0])[1 + g % 7]::numeric(5,4) AS rate,
                           ((g::bigint * 2654435761) % 1000000) / 1000000.0 AS draw) r
                """
            )

    def executions():
        with transaction.atomic(), connection.cursor() as c:
            c.execute("SET LOCAL session_replication_role = replica")
            # 2 % deviate (a fifth each way); branch orgs[5] inspects half as often as drawn; 1 % never reported.
            c.execute(
                f"""
                INSERT INTO tracking_execution (decision_id, eciq_id, executed_on, organization_id, inspected,
                    document_review, priority_given, outcome, client_id, received_at, updated_at)
                SELECT d.id, 'E' || d.id, d."on", d.organization_id,
                       CASE WHEN d.id % 100 = 1 THEN NOT d.inspect
                            WHEN d.organization_id = {orgs[5]} AND d.inspect AND d.id % 2 = 0 THEN FALSE
                            ELSE d.inspect END,
                       CASE WHEN d.id % 100 = 2 THEN 'full' WHEN d.id % 100 = 3 THEN 'waived'
                            ELSE d.document_review END,
                       CASE WHEN d.id % 100 = 4 THEN FALSE ELSE d.priority END,
                       CASE WHEN d.inspect THEN 'passed' ELSE 'released' END,
                       {client.pk}, {stamp(TODAY - dt.timedelta(days=1))}, {stamp(TODAY - dt.timedelta(days=1))}
                FROM application_decision d
                WHERE d.id % 100 <> 50 AND d."on" < date '{TODAY - dt.timedelta(days=3)}'
                """
            )
        with connection.cursor() as c:
            c.execute("ANALYZE application_decision")
            c.execute("ANALYZE tracking_execution")

    return {
        "load_decisions_s": round(timed(f"{n:,} decisions", decisions), 1),
        "load_executions_s": round(timed("execution reports", executions), 1),
    }


def add_day(n: int) -> None:
    """One more day: n decisions of TODAY, all reported after the day's check (the check's clock is the pinned
    day at the current time of day), one in a hundred released though drawn."""
    from django.db import connection, transaction

    late = stamp(TODAY + dt.timedelta(days=1), "00:10")
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            f"""
            INSERT INTO application_decision (declaration_no, area, "on", organization_id, client_id, decided_at,
                governing_grade, controlled, serious_listed, unregistered, sampling_rate, draw, inspect,
                document_review, priority, green_channel, paperless, measures, measure_list_version,
                ruleset_version, request)
            SELECT 'N' || lpad(g::text, 14, '0'), area, date '{TODAY}', organization_id, client_id, decided_at,
                governing_grade, controlled, serious_listed, unregistered, sampling_rate, draw, inspect,
                document_review, priority, green_channel, paperless, measures, measure_list_version,
                ruleset_version, request
            FROM generate_series(1, {n}) AS s(g) JOIN application_decision d ON d.id = s.g
            """
        )
        c.execute(
            f"""
            INSERT INTO tracking_execution (decision_id, eciq_id, executed_on, organization_id, inspected,
                document_review, priority_given, outcome, client_id, received_at, updated_at)
            SELECT d.id, 'E' || d.id, d."on", d.organization_id, CASE WHEN d.id % 100 = 7 THEN FALSE ELSE d.inspect END,
                   d.document_review, d.priority, 'released', d.client_id, {late}, {late}
            FROM application_decision d WHERE d."on" = date '{TODAY}'
            """
        )


def run_check(today: dt.date = TODAY) -> tuple[float, dict]:
    started = time.perf_counter()
    out = subprocess.run(
        [str(PROJECT_DIR / ".venv/bin/ciqcredit"), "tracking", "check", "--json"],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "CIQCREDIT_TODAY": today.isoformat()},
    ).stdout
    return time.perf_counter() - started, json.loads(out.strip().splitlines()[-1])


def main() -> None:
    args = parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("PostgreSQL only: set DATABASE_URL=postgres://…")
    with throwaway_django(
        args.db_name, prefix="ciq-tracking-bench-", today=TODAY, keep=args.keep, time_migrate=True
    ) as (label, workdir):
        from django.db import connection

        print(f"database {label}")
        loaded = load(args.decisions)
        connection.close()
        first_s, first = run_check()
        print(f"  first check: {first_s:.1f} s {first}", flush=True)
        second_s, second = run_check()
        print(f"  second check: {second_s:.1f} s {second}", flush=True)
        day = max(1, args.decisions // 365)
        add_day(day)
        connection.close()
        next_s, next_day = run_check(TODAY + dt.timedelta(days=1))
        print(f"  next day's check: {next_s:.1f} s {next_day}", flush=True)
        with connection.cursor() as c:
            c.execute("SELECT COUNT(*) FROM tracking_execution")
            executions = c.fetchone()[0]
        result = {
            "benchmark": "tracking_check",
            "database": "postgresql",
            "decisions": args.decisions,
            "executions": executions,
            **loaded,
            "first_check_s": round(first_s, 2),
            "first_check_job_s": first["seconds"],
            "deviations": first["deviations"],
            "not_reported": first["not_reported"],
            "cells_flagged": first["cells_flagged"],
            "items_raised": first["items_raised"],
            "second_check_s": round(second_s, 2),
            "second_run_new_rows": second["deviations"]
            + second["not_reported"]
            + second["cells_flagged"]
            + second["items_raised"],
            "second_run_read": second["executions_read"] + second["decisions_read"],
            "next_day_decisions": day,
            "next_day_check_s": round(next_s, 2),
            "next_day_check_job_s": next_day["seconds"],
            "next_day_executions_read": next_day["executions_read"],
            "next_day_decisions_read": next_day["decisions_read"],
            "next_day_deviations": next_day["deviations"] + next_day["not_reported"],
            "target_s": TARGET_SECONDS,
            "meets_target": first_s < TARGET_SECONDS,
            "loadavg": [round(x, 2) for x in os.getloadavg()],
            "cpus": os.cpu_count(),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
