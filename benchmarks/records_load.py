"""Benchmark loading credit records (issue 4): N synthetic e-CIQ records through the intake validation.

    .venv/bin/python benchmarks/records_load.py [--rows 10000000] [--enterprises 50000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python benchmarks/records_load.py

Loads the reference data (`ciqcredit setup`: organizations, calendar, reference catalogue v1), bulk-writes
the synthetic enterprises (fixture data), then feeds generated entries in the `POST /api/v1/intake/eciq`
shape to `records_bulk_load`, which checks each one with the intake API's own `IntakeChecker` and writes
them in batches (records, transitions, audit rows, the one-act rule). About 5 % of entries repeat an act
of the same enterprise (exercising §三(四)); 1 % repeat an eciq_id (duplicates). Prints records per second.

The database is its own: on SQLite a throwaway file in a temporary directory; on PostgreSQL (DATABASE_URL)
a database `ciqcredit_records_bench_<pid>` on the same server, created before and dropped after the run.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

from throwaway import bare_copy_seconds, profiled, report, throwaway_django

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

TODAY = dt.date(2017, 10, 20)
ORGS = ["475200", "470000", "110000", "310000", "440000"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="records to load (default 10,000,000)")
    parser.add_argument("--enterprises", type=int, default=50_000, help="synthetic enterprises (default 50,000)")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument(
        "--db-name", default=f"ciqcredit_records_bench_{os.getpid()}", help="PostgreSQL database to create and drop"
    )
    parser.add_argument("--profile", metavar="FILE", help="run the load under cProfile, stats written to FILE")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args()


def make_enterprises(n: int) -> list[tuple[str, list[str]]]:
    from django.utils import timezone

    from ciqcredit.enterprises.models import Enterprise
    from ciqcredit.enterprises.types import encode_types
    from ciqcredit.organizations.models import Organization
    from ciqcredit.testing import credit_code_for, org_code_for

    orgs = {o.code: o for o in Organization.objects.filter(code__in=ORGS)}
    kinds = [("importer",), ("importer", "exporter"), ("exporter",), ("declaration_agent",)]
    now = timezone.now()
    rows, out = [], []
    for i in range(1, n + 1):
        types = kinds[i % len(kinds)]
        rows.append(
            Enterprise(
                credit_code=credit_code_for(i),
                name=f"基准企业{i}",
                org_code=org_code_for(i),
                types=encode_types(types),
                registering_org=orgs[ORGS[i % len(ORGS)]],
                created_at=now,
                updated_at=now,
            )
        )
        out.append((rows[-1].credit_code, list(types)))
    Enterprise.objects.bulk_create(rows, batch_size=5000)
    return out


def entries(rows: int, enterprises, items, seed: int = 4):
    """The intake contract's entries, generated lazily."""
    rng = random.Random(seed)
    by_type = {}
    for _code, types in enterprises:
        key = tuple(types)
        if key not in by_type:
            by_type[key] = [i for i in items if i.applies_to(types)]
    recent: list[tuple[str, list[str], str]] = []
    last: dict[str, str] = {}
    for n in range(rows):
        if last and rng.random() < 0.01:
            yield dict(last)  # a repeated e-CIQ id: a duplicate
            continue
        code, types = enterprises[rng.randrange(len(enterprises))]
        choices = by_type[tuple(types)]
        item = choices[rng.randrange(len(choices))]
        if recent and rng.random() < 0.05:
            code, types, association = recent[rng.randrange(len(recent))]  # same act, another item
            item = rng.choice(by_type[tuple(types)])
        else:
            association = f"4752001{n:011d}"
        verified = TODAY - dt.timedelta(days=rng.randint(1, 300))
        org = ORGS[n % len(ORGS)] if n % 3 else "475200"
        last = {
            "eciq_id": f"B{n:010d}",
            "credit_code": code,
            "item_code": item.code,
            "stage": item.stage,
            "association_no": association,
            "org_code": org,
            "occurred_on": (verified - dt.timedelta(days=3)).isoformat(),
            "discovered_on": (verified - dt.timedelta(days=1)).isoformat(),
            "verified_on": verified.isoformat(),
            "description": f"e-CIQ 不合格：{item.name}",
        }
        if item.declarant_required:
            last["declarant_no"] = f"47{n % 100000:08d}"
        recent.append((code, types, association))
        if len(recent) > 1000:
            recent.pop(0)
        yield last


def main() -> None:
    args = parse_args()
    with throwaway_django(args.db_name, prefix="ciqcredit_records_", today=TODAY, keep=args.keep) as (
        db_label,
        workdir,
    ):
        from django.db import connection
        from tqdm import tqdm

        from ciqcredit.actors import Actor
        from ciqcredit.administration.reference import load_reference_data
        from ciqcredit.catalogue.selectors import items_in_force
        from ciqcredit.collection.models import CreditRecord
        from ciqcredit.collection.records_load import records_bulk_load
        from ciqcredit.organizations.models import Organization
        from ciqcredit.organizations.services import api_client_create, organization_create

        setup = Actor.job("benchmark")
        load_reference_data(actor=setup)
        if not Organization.objects.filter(code="475200").exists():
            organization_create(code="475200", name="皇岗出入境检验检疫局", parent_code="470000", actor=setup)
        hq = Organization.objects.get(code="000000")
        client, _ = api_client_create(name="eciq-bench", organization=hq, scopes=["eciq_intake"], actor=setup)
        started = time.perf_counter()
        enterprises = make_enterprises(args.enterprises)
        print(f"enterprises: {len(enterprises):,} in {time.perf_counter() - started:.1f}s")
        items = [
            i
            for i in items_in_force(TODAY)
            if i.collection in ("auto", "auto_confirm") and i.association_kind == "declaration"
        ]
        print(f"e-CIQ items in force: {len(items)}")
        with tqdm(total=args.rows, unit="条", file=sys.stderr, mininterval=2) as bar:
            started, cpu_started = time.perf_counter(), time.process_time()
            with profiled(args.profile):
                result = records_bulk_load(
                    entries=entries(args.rows, enterprises, items),
                    actor=Actor.of(client),
                    batch_size=args.batch_size,
                    progress=bar.update,
                )
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        stored = CreditRecord.objects.count()
        effective = CreditRecord.objects.filter(status="effective").count()
        print(
            f"records_load db={connection.vendor} ({db_label}) rows={args.rows:,}: {args.rows / elapsed:,.0f} "
            f"records/s ({elapsed:.1f}s); created {result.created:,}, duplicates {result.duplicates:,}, "
            f"rejected {len(result.rejected):,}, superseded {result.superseded:,}; stored {stored:,} "
            f"({effective:,} effective)"
        )
        if result.rejected:
            print("first rejections:", result.rejected[:3])
        # The same rows (records, transitions, audit rows) copied inside the database: what it writes unaided.
        tables = [CreditRecord._meta.db_table, "collection_recordtransition", "audit_auditentry"]
        bare = bare_copy_seconds(tables)
        report(
            "records_load",
            connection.vendor,
            args.rows,
            elapsed,
            stored=stored,
            effective=effective,
            rejected=len(result.rejected),
            baseline_s=round(bare, 3),
            ratio=round(elapsed / bare, 2),
            cpu_s=round(cpu, 3),
            cpu_ms_per_1000=round(cpu / args.rows * 1e6, 1),
            batch_size=args.batch_size,
        )


if __name__ == "__main__":
    main()
