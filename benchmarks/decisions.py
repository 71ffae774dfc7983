"""Benchmark the release-decision hot path (issue 9): gunicorn serving PostgreSQL, driven by wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python benchmarks/decisions.py
        [--enterprises 1000000] [--seconds 30] [--workers 2] [--threads 4]

Needs `wrk` (Debian: `apt-get install wrk`) and gunicorn (a dependency of the platform). PostgreSQL only: the
figures are those of the production set-up (docs/production.md). The script creates its own database
(`ciq_decisions_bench` on the server of DATABASE_URL, dropped afterwards unless --keep), migrates it, publishes
the reference rules and joint measures, and generates set-based on the server (`generate_series`, no per-row
Python) the enterprises — valid unified social credit codes, their check character computed in SQL — and a grade for
each (AA 2 %, A 50 %, B 33 %, C 10 %, D 5 %; 3 % under 布控), with the current-grade rows beside them.

Then it serves the platform with gunicorn (`--workers` processes, `--threads` threads each) and drives it from
wrk in another process, each scenario for `--seconds` after a short warm-up, with random enterprises:
  1. single decisions `POST /api/v1/decisions` (one or two parties, 1 % unknown to the registry);
  2. the batch endpoint `POST /api/v1/decisions/batch` with 1,000 declarations per request;
  3. the grade lookup `GET /api/v1/enterprises/{credit_code}/grade`.
Beside the rates it reports the gunicorn workers' own CPU time per request (from /proc: the figure a busy
machine distorts least). It checks that every answered decision was kept (rows in the database against answers
counted by wrk), and that a grade change committed by another process is seen by the next decisions on every
worker (the time until twenty decisions on fresh connections all answer with the new grade). The last line is
one JSON object. 8 threads per worker: with wrk's 16 connections every connection has a thread to wait on its
commit with (a decision waits on the disk's flush far longer than it computes).
"""

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from throwaway import pg_admin, prepare_database

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

TODAY = dt.date(2026, 3, 2)
TARGETS = {"single_per_s": 3000, "single_p99_ms": 10, "batch_decisions_per_s": 50_000, "grade_per_s": 4000}

LUA_COMMON = r"""
local codes = {}
local token = os.getenv("BENCH_TOKEN")
local thread_no = 0
local counter = 0
function init(args)
  for line in io.lines(os.getenv("BENCH_CODES")) do codes[#codes + 1] = line end
  thread_no = tonumber(args[1] or "0") or 0
  math.randomseed(os.time() + thread_no * 7919)
end
function pick() return codes[math.random(#codes)] end
function declaration()
  counter = counter + 1
  return string.format("B%02d%09d%06d", thread_no, counter, math.random(999999))
end
function item()
  local parties = '{"credit_code":"' .. pick() .. '","role":"consignee"}'
  if math.random() < 0.4 then parties = parties .. ',{"credit_code":"' .. pick() .. '","role":"agent"}' end
  return '{"declaration_no":"' .. declaration() .. '","parties":[' .. parties .. ']}'
end
function done(summary, latency, requests)
  io.write(string.format('WRK {"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""

LUA_SCENARIOS = {
    "single": r"""
request = function()
  return wrk.format("POST", "/api/v1/decisions",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, item())
end
""",
    "batch": r"""
request = function()
  local items = {}
  for i = 1, 1000 do items[i] = item() end
  return wrk.format("POST", "/api/v1/decisions/batch",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"},
    '{"items":[' .. table.concat(items, ",") .. ']}')
end
""",
    "grade": r"""
request = function()
  return wrk.format("GET", "/api/v1/enterprises/" .. pick() .. "/grade", {["Authorization"] = "Bearer " .. token})
end
""",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="gunicorn gthread threads per worker")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (single and grade)")
    parser.add_argument("--batch-connections", type=int, default=4)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--db-name", default="ciq_decisions_bench", help="PostgreSQL database to create and drop")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--server-log", default=os.devnull, help="where gunicorn's stderr (one JSON line per request) goes"
    )
    return parser.parse_args()


def step(label: str):
    class _Step:
        def __enter__(self):
            self.t = time.perf_counter()
            print(f"  {label} …", end="", flush=True)

        def __exit__(self, *exc):
            print(f" {time.perf_counter() - self.t:.1f} s", flush=True)

    return _Step()


# The check character of a unified social credit code (GB 32100), in SQL over a 17-digit prefix `p`.
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code_sql(prefix: str) -> str:
    total = " + ".join(f"CAST(substr({prefix}, {i + 1}, 1) AS INT) * {w}" for i, w in enumerate(_WEIGHTS))
    return f"{prefix} || substr('{_ALPHABET}', (31 - ({total}) % 31) % 31 + 1, 1)"


def load(n: int) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    from ciqcredit.actors import Actor
    from ciqcredit.catalogue.reference import reference_joint_measures_load, reference_rules_load
    from ciqcredit.organizations.models import Organization
    from ciqcredit.organizations.services import api_client_create, reference_organizations_load
    from ciqcredit.rating.models import CurrentGrade, GradeChange

    actor = Actor(system="bench")
    with step("migrate and reference rules"):
        call_command("migrate", verbosity=0)
        reference_organizations_load(actor=actor)
        reference_rules_load(actor=actor)
        reference_joint_measures_load(actor=actor)  # as `ciqcredit setup` publishes them (no party on a list)
    org_ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    org_case = "CASE g % " + str(len(org_ids)) + " " + " ".join(f"WHEN {i} THEN {pk}" for i, pk in enumerate(org_ids))
    prefix = "('91440300' || lpad(CAST(g AS TEXT), 9, '0'))"
    gc, cur = GradeChange._meta.db_table, CurrentGrade._meta.db_table
    with step(f"{n:,} enterprises"), transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO enterprises_enterprise (credit_code, name, org_code, ciq_registration_no, "
            "legal_representative, address, main_business, types, registering_org_id, registered_on, status, "
            f"created_at, updated_at) SELECT {credit_code_sql(prefix)}, '基准企业' || g, '', '', '', '', '', "
            f"';importer;', {org_case} END, DATE '2015-01-01', 'active', now(), now() "
            f"FROM generate_series(1, {n}) AS s(g)"
        )
    grade = (
        "CASE WHEN e.id % 100 < 2 THEN 'AA' WHEN e.id % 100 < 52 THEN 'A' WHEN e.id % 100 < 85 THEN 'B' "
        "WHEN e.id % 100 < 95 THEN 'C' ELSE 'D' END"
    )
    with step(f"{n:,} grades"), transaction.atomic(), connection.cursor() as c:
        c.execute("SET LOCAL session_replication_role = replica")  # no per-row FK triggers during the load
        c.execute(
            f"INSERT INTO {gc} (enterprise_id, grade, previous_grade, controlled, cause, effective_from, "
            "ruleset_version, decided_by_label, reason, source_type, source_id, notice_number, recorded_at) "
            f"SELECT e.id, {grade}, '', e.id % 33 = 0, 'periodic', DATE '2025-10-01', 1, 'system:bench', '', '', "
            "'', '', now() FROM enterprises_enterprise e"
        )
        c.execute(
            f"INSERT INTO {cur} (enterprise_id, grade, controlled, effective_from, cause, ruleset_version, change_id) "
            f"SELECT enterprise_id, grade, controlled, effective_from, cause, ruleset_version, id FROM {gc}"
        )
    with step("analyze"), connection.cursor() as c:
        c.execute("ANALYZE")
    client, token = api_client_create(
        name="eciq-bench", organization=Organization.objects.get(code="000000"), scopes=["eciq_decision"], actor=actor
    )
    return {"token": token}


def write_codes(path: Path, sample: int = 100_000) -> None:
    from django.db import connection

    from ciqcredit.testing import credit_code_for

    with connection.cursor() as c:
        c.execute(f"SELECT credit_code FROM enterprises_enterprise TABLESAMPLE SYSTEM (20) LIMIT {sample}")
        codes = [row[0] for row in c.fetchall()]
    codes += [credit_code_for(900_000_000 + i) for i in range(len(codes) // 100)]  # 1 % unknown parties
    path.write_text("\n".join(codes) + "\n")


def start_server(args, env: dict) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn),
        "ciqcredit.wsgi:application",
        "--workers",
        str(args.workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(args.threads),
        "--bind",
        f"127.0.0.1:{args.port}",
        "--log-level",
        "warning",
    ]
    log = open(args.server_log, "ab")  # noqa: SIM115  # the request log lines, as production writes them
    server = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/api/v1/changes", timeout=2)
        except urllib.error.HTTPError:
            return server  # 401: the platform answers (pages need collected static files; the API does not)
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not start")


def run_wrk(args, scenario: str, seconds: int, connections: int, env: dict, workdir: Path) -> dict:
    script = workdir / f"{scenario}.lua"
    script.write_text(LUA_COMMON + LUA_SCENARIOS[scenario])
    command = [
        "wrk",
        "-t",
        "2",
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"http://127.0.0.1:{args.port}",
    ]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in reversed(out.splitlines()) if line.startswith("WRK "))
    figures = json.loads(line[4:])
    per_s = figures["requests"] / (figures["duration_us"] / 1e6)
    return {**figures, "per_s": round(per_s, 1), "p99_ms": round(figures["p99_us"] / 1000, 2)}


def server_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by the gunicorn master's worker processes, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:  # ppid
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def decisions_kept() -> int:
    from ciqcredit.application.models import Decision

    return Decision.objects.count()


def freshness(args, token: str) -> dict:
    """Commit a grade change here; time until twenty decisions on fresh connections all see it."""
    from ciqcredit.actors import Actor
    from ciqcredit.enterprises.models import Enterprise
    from ciqcredit.rating.services.grades import grade_change_apply

    enterprise = Enterprise.objects.filter(current_grade__grade="A", current_grade__controlled=False).first()
    body = json.dumps(
        {"declaration_no": "FRESH-1", "parties": [{"credit_code": enterprise.credit_code, "role": "consignee"}]}
    ).encode()

    def ask() -> str:
        request = urllib.request.Request(
            f"http://127.0.0.1:{args.port}/api/v1/decisions",
            data=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Connection": "close"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())["governing_grade"]

    before = [ask() for _ in range(10)]
    grade_change_apply(
        enterprise=enterprise, grade="D", cause="listing", effective_from=TODAY, actor=Actor(system="bench")
    )
    committed = time.perf_counter()
    seen_all_at = None
    streak = 0
    while time.perf_counter() - committed < 5:
        if ask() == "D":
            streak += 1
            if streak == 20:
                seen_all_at = time.perf_counter()
                break
        else:
            streak = 0
    return {
        "before": sorted(set(before)),
        "seen_by_20_fresh_connections_ms": round((seen_all_at - committed) * 1000, 1) if seen_all_at else None,
    }


def main() -> None:
    args = parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL must point at PostgreSQL (the benchmark measures the production set-up)")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="ciq-decisions-bench-"))
    label, bench_url = prepare_database(args.db_name, workdir, today=TODAY)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ciqcredit.settings")
    import django

    django.setup()
    from django.db import connection

    print(f"decisions benchmark on {label}: {args.enterprises:,} enterprises", flush=True)
    server = None
    try:
        made = load(args.enterprises)
        codes = workdir / "codes.txt"
        write_codes(codes)
        connection.close()
        env = {
            **os.environ,
            "ALLOWED_HOSTS": "127.0.0.1",
            "BENCH_TOKEN": made["token"],
            "BENCH_CODES": str(codes),
        }
        server = start_server(args, env)
        results = {}
        for scenario, connections in (
            ("single", args.connections),
            ("batch", args.batch_connections),
            ("grade", args.connections),
        ):
            before = decisions_kept()
            connection.close()
            if args.warmup:
                run_wrk(args, scenario, args.warmup, connections, env, workdir)
            warm = decisions_kept()
            cpu = server_cpu_seconds(server.pid)
            with step(f"{scenario}: {args.seconds} s, {connections} connections"):
                results[scenario] = run_wrk(args, scenario, args.seconds, connections, env, workdir)
            cpu = server_cpu_seconds(server.pid) - cpu
            results[scenario]["server_cpu_us_per_request"] = round(cpu / max(1, results[scenario]["requests"]) * 1e6)
            time.sleep(0.5)
            results[scenario]["kept_rows"] = decisions_kept() - warm
            results[scenario]["warmup_rows"] = warm - before
            print(f"    {results[scenario]}", flush=True)
        fresh = freshness(args, made["token"])
        print(f"  freshness: {fresh}", flush=True)
        single, batch, grade = results["single"], results["batch"], results["grade"]
        figures = {
            "benchmark": "decisions",
            "database": label.split(":")[0],
            "enterprises": args.enterprises,
            "server": f"gunicorn {args.workers} workers × {args.threads} threads (gthread)",
            "seconds": args.seconds,
            "load_average_1m": round(os.getloadavg()[0], 2),
            "single_per_s": single["per_s"],
            "single_p50_ms": round(single["p50_us"] / 1000, 2),
            "single_p99_ms": single["p99_ms"],
            "single_non2xx": single["non2xx"],
            "single_answered": single["requests"],
            "single_kept": single["kept_rows"],
            "single_server_cpu_us": single["server_cpu_us_per_request"],
            "batch_requests_per_s": batch["per_s"],
            "batch_decisions_per_s": round(batch["per_s"] * 1000, 1),
            "batch_p99_ms": batch["p99_ms"],
            "batch_non2xx": batch["non2xx"],
            "batch_kept": batch["kept_rows"],
            "batch_server_cpu_us_per_decision": round(batch["server_cpu_us_per_request"] / 1000, 1),
            "grade_per_s": grade["per_s"],
            "grade_p50_ms": round(grade["p50_us"] / 1000, 2),
            "grade_p99_ms": grade["p99_ms"],
            "grade_non2xx": grade["non2xx"],
            "grade_server_cpu_us": grade["server_cpu_us_per_request"],
            "grade_change_seen_by_20_fresh_connections_ms": fresh["seen_by_20_fresh_connections_ms"],
            "targets": TARGETS,
        }
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        connection.close()
        if bench_url and not args.keep:
            pg_admin(bench_url, f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
