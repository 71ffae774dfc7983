"""Benchmark the enterprise registry import (§三(一)) on a fresh database.

    .venv/bin/python benchmarks/enterprise_import.py [--rows 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python benchmarks/enterprise_import.py

Writes N synthetic enterprises to a CSV file, then imports it twice through the same reader and service the
`import_enterprises` command uses: the first run creates every enterprise (with its audit rows), the second
finds them all unchanged. Prints rows per second for both.

The database is its own: on SQLite a throwaway file in a temporary directory; on PostgreSQL (DATABASE_URL)
a database `ciqcredit_bench_<pid>` on the same server, created before and dropped after the run.
"""

import argparse
import csv
import os
import sys
import time
from pathlib import Path

from throwaway import bare_copy_seconds, profiled, report, throwaway_django

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

TYPES = ["importer", "exporter", "origin_certificate", "declaration_agent", "port_food", "supervised_warehouse"]
BRANCHES = [("475200", "皇岗出入境检验检疫局", "470000"), ("475300", "沙头角出入境检验检疫局", "470000")]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="number of enterprises (default 1,000,000)")
    parser.add_argument("--batch-size", type=int, default=None, help="rows per batch (default: the service's)")
    parser.add_argument(
        "--db-name", default=f"ciqcredit_bench_{os.getpid()}", help="PostgreSQL database to create and drop"
    )
    parser.add_argument("--profile", metavar="FILE", help="run the load under cProfile, stats written to FILE")
    parser.add_argument("--keep", action="store_true", help="keep the database and the CSV file")
    return parser.parse_args()


def write_csv(path: Path, rows: int, org_codes: list[str]) -> None:
    from ciqcredit.enterprises.importing import CONTRACT_FIELDS
    from ciqcredit.testing import credit_code_for, org_code_for

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CONTRACT_FIELDS)
        for n in range(1, rows + 1):
            writer.writerow(
                [
                    credit_code_for(n),
                    f"基准测试进出口贸易有限公司{n}",
                    org_code_for(n),
                    f"CIQ{n:010d}",
                    f"法人{n % 9973}",
                    f"广东省深圳市福田区测试大道{n % 5000}号",
                    "电子产品、机械设备进出口",
                    ";".join(TYPES[i] for i in range(len(TYPES)) if (n >> i) & 1) or "importer",
                    org_codes[n % len(org_codes)],
                    f"20{10 + n % 8}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                    "cancelled" if n % 50 == 0 else "active",
                ]
            )


def timed_import(path: Path, rows: int, label: str, batch_size: int | None, profile: str | None = None):
    from tqdm import tqdm

    from ciqcredit.actors import Actor
    from ciqcredit.enterprises.importing import read_rows
    from ciqcredit.enterprises.services import enterprises_import

    extra = {"batch_size": batch_size} if batch_size else {}
    with path.open("rb") as handle, tqdm(total=rows, unit="行", desc=label, file=sys.stderr, mininterval=1) as bar:
        started, cpu_started = time.perf_counter(), time.process_time()
        with profiled(profile):
            result = enterprises_import(
                rows=read_rows(handle, "csv"),
                actor=Actor.job("benchmark"),
                progress=lambda done: bar.update(done - bar.n),
                source=path.name,
                **extra,
            )
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if result.rejected:
        raise SystemExit(f"{label}: {len(result.rejected)} rows rejected, first: {result.rejected[0]}")
    return result, elapsed, cpu


def main() -> None:
    args = parse_args()
    with throwaway_django(args.db_name, prefix="ciqcredit_bench_", keep=args.keep) as (db_label, workdir):
        from django.db import connection

        from ciqcredit.actors import Actor
        from ciqcredit.audit.models import AuditEntry
        from ciqcredit.enterprises.models import Enterprise
        from ciqcredit.organizations.models import Organization
        from ciqcredit.organizations.services import organization_create, reference_organizations_load

        setup = Actor.job("benchmark")
        reference_organizations_load(actor=setup)
        for code, name, parent in BRANCHES:
            organization_create(code=code, name=name, parent_code=parent, actor=setup)
        org_codes = sorted(Organization.objects.exclude(code="000000").values_list("code", flat=True))

        path = workdir / "enterprises.csv"
        started = time.perf_counter()
        write_csv(path, args.rows, org_codes)
        print(f"CSV: {args.rows:,} rows, {path.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - started:.1f}s")

        first, first_s, first_cpu = timed_import(path, args.rows, "initial", args.batch_size, args.profile)
        assert first.created == args.rows, first
        audits = AuditEntry.objects.count()
        second, second_s, _ = timed_import(path, args.rows, "re-import", args.batch_size)
        assert second.unchanged == args.rows, second
        assert AuditEntry.objects.count() == audits + 1  # only the summary of the second run
        assert Enterprise.objects.count() == args.rows

        print(
            f"enterprise_import db={connection.vendor} ({db_label}) rows={args.rows:,}: "
            f"initial {args.rows / first_s:,.0f} rows/s ({first_s:.1f}s), "
            f"re-import {args.rows / second_s:,.0f} rows/s ({second_s:.1f}s, all unchanged)"
        )
        # The same rows (enterprises and their audit rows) copied inside the database: what it writes unaided.
        bare = bare_copy_seconds([Enterprise._meta.db_table, AuditEntry._meta.db_table])
        report(
            "enterprise_import",
            connection.vendor,
            args.rows,
            first_s,
            baseline_s=round(bare, 3),
            ratio=round(first_s / bare, 2),
            cpu_s=round(first_cpu, 3),
            cpu_ms_per_1000=round(first_cpu / args.rows * 1e6, 1),
            reimport_s=round(second_s, 3),
            reimport_rate_per_s=round(args.rows / second_s),
        )


if __name__ == "__main__":
    main()
