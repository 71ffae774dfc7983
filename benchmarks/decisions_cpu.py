"""CPU per request of the decision hot path, in process: the figure that survives a shared machine.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python benchmarks/decisions_cpu.py
        [--enterprises 100000] [--requests 2000] [--profile single|batch|grade] [--reuse]

Loads the data of `benchmarks/decisions.py` (enterprises with grades, 布控, 1 % unknown parties) into its own
database, then calls the WSGI application the way gunicorn does (an environ per request, the whole middleware
stack, the JSON log line written to /dev/null) for each hot endpoint, and reports the process's own CPU time per
request (`time.process_time`: the database server's CPU is not in it) next to the wall time, the cheapest of
`--rounds` rounds (other work on a shared machine only ever adds to it). `--profile` runs
the named scenario under cProfile and prints the functions that cost most. `--reuse` keeps the loaded database
between runs (it is created once and kept); without it the database is dropped at the end. The last line is one
JSON object.
"""

import argparse
import cProfile
import io
import json
import logging
import os
import pstats
import random
import secrets
import sys
import time
from pathlib import Path

from decisions import TODAY, load
from throwaway import pg_admin, prepare_database

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2000, help="requests per scenario (batch: a tenth)")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--profile", choices=["single", "batch", "grade"], default=None)
    parser.add_argument("--top", type=int, default=30, help="lines of the profile to print")
    parser.add_argument("--db-name", default="ciq_decisions_cpu")
    parser.add_argument("--reuse", action="store_true", help="keep the database and load it only once")
    parser.add_argument("--scenarios", default="single,batch,grade")
    parser.add_argument("--rounds", type=int, default=3, help="measure each scenario this often, keep the cheapest")
    return parser.parse_args()


def _environ(method: str, path: str, token: str, body: bytes = b"") -> dict:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8791",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8791",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if body:
        environ["CONTENT_TYPE"] = "application/json"
        environ["CONTENT_LENGTH"] = str(len(body))
    return environ


class Requests:
    """Request bodies as the load generator of `decisions.py` makes them (one or two parties, random codes)."""

    def __init__(self, codes: list[str], token: str):
        self.codes, self.token, self.counter = codes, token, 0
        self.rng = random.Random(7)

    def item(self) -> dict:
        self.counter += 1
        parties = [{"credit_code": self.rng.choice(self.codes), "role": "consignee"}]
        if self.rng.random() < 0.4:
            parties.append({"credit_code": self.rng.choice(self.codes), "role": "agent"})
        return {"declaration_no": f"C{self.counter:09d}{self.rng.randrange(999999):06d}", "parties": parties}

    def make(self, scenario: str) -> dict:
        if scenario == "single":
            return _environ("POST", "/api/v1/decisions", self.token, json.dumps(self.item()).encode())
        if scenario == "batch":
            body = json.dumps({"items": [self.item() for _ in range(1000)]}).encode()
            return _environ("POST", "/api/v1/decisions/batch", self.token, body)
        return _environ("GET", f"/api/v1/enterprises/{self.rng.choice(self.codes)}/grade", self.token)


def call(application, environ: dict) -> int:
    status: list[str] = []

    def start_response(s, headers, exc_info=None):
        status.append(s)

    response = application(environ, start_response)
    try:
        for _ in response:
            pass
    finally:
        if hasattr(response, "close"):
            response.close()
    return int(status[0].split()[0])


def measure(application, requests: Requests, scenario: str, count: int, warmup: int, profile: bool, top: int):
    for _ in range(warmup):
        status = call(application, requests.make(scenario))
        assert status in (200, 404), status  # 404: a grade lookup of a code the registry does not know
    environs = [requests.make(scenario) for _ in range(count)]
    profiler = cProfile.Profile(time.process_time) if profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    statuses = [call(application, e) for e in environs]
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    bad = sum(1 for s in statuses if s not in (200, 404))
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
        print(out.getvalue())
    per = 1000 if scenario == "batch" else 1
    return {
        "requests": count,
        "errors": bad,
        "cpu_us_per_request": round(cpu / count * 1e6, 1),
        "wall_us_per_request": round(wall / count * 1e6, 1),
        **({"cpu_us_per_decision": round(cpu / count / per * 1e6, 2)} if per > 1 else {}),
    }


def main() -> None:
    args = parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL must point at PostgreSQL")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    workdir = Path("/tmp")
    fresh = True
    if args.reuse:
        from urllib.parse import urlsplit, urlunsplit

        import psycopg

        url = os.environ["DATABASE_URL"]
        bench_url = urlunsplit(urlsplit(url)._replace(path=f"/{args.db_name}"))
        try:
            with psycopg.connect(bench_url) as conn:
                fresh = conn.execute("SELECT count(*) FROM enterprises_enterprise").fetchone()[0] != args.enterprises
        except psycopg.Error:
            fresh = True
    if fresh:
        label, bench_url = prepare_database(args.db_name, workdir, today=TODAY)
    else:
        os.environ.update({"DATABASE_URL": bench_url, "DEBUG": "false", "CIQCREDIT_TODAY": TODAY.isoformat()})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ciqcredit.settings")
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from ciqcredit.actors import Actor
    from ciqcredit.organizations.models import Organization
    from ciqcredit.organizations.services import api_client_create

    try:
        if fresh:
            load(args.enterprises)
        else:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)  # the code may have moved on since the data was loaded
        _, token = api_client_create(
            name=f"eciq-cpu-{secrets.token_hex(3)}",
            organization=Organization.objects.get(code="000000"),
            scopes=["eciq_decision"],
            actor=Actor(system="bench"),
        )
        with connection.cursor() as c:
            c.execute("SELECT credit_code FROM enterprises_enterprise ORDER BY random() LIMIT 20000")
            codes = [row[0] for row in c.fetchall()]
        from ciqcredit.testing import credit_code_for

        codes += [credit_code_for(900_000_000 + i) for i in range(len(codes) // 100)]
        application = get_wsgi_application()  # sets logging up again
        # The request log line is written as in production, to a stream nobody reads.
        sink = open(os.devnull, "w")  # noqa: SIM115  # open for the whole run
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler):
                handler.setStream(sink)
        requests = Requests(codes, token)
        results = {}
        for scenario in args.scenarios.split(","):
            count = max(20, args.requests // 10) if scenario == "batch" else args.requests
            warmup = max(2, args.warmup // 50) if scenario == "batch" else args.warmup
            rounds = [
                measure(
                    application, requests, scenario, count, warmup if n == 0 else 0, args.profile == scenario, args.top
                )
                for n in range(1 if args.profile == scenario else args.rounds)
            ]
            results[scenario] = min(rounds, key=lambda r: r["cpu_us_per_request"])
            print(f"  {scenario}: {results[scenario]}", flush=True)
    finally:
        connection.close()
        if not args.reuse:
            pg_admin(bench_url, f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)')
    print(
        json.dumps(
            {
                "benchmark": "decisions_cpu",
                "enterprises": args.enterprises,
                "load_average_1m": round(os.getloadavg()[0], 2),
                **{f"{k}_{m}": v[m] for k, v in results.items() for m in v if m.startswith(("cpu", "wall"))},
            }
        )
    )


if __name__ == "__main__":
    main()
