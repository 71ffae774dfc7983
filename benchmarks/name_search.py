"""Benchmark the enterprise search (issue 14): a part of a name or a code prefix among N enterprises.

    .venv/bin/python benchmarks/name_search.py [--enterprises 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python benchmarks/name_search.py

Builds its own database (a throwaway SQLite file, or a PostgreSQL database created and dropped), migrates it
(the trigram index of migration enterprises 0004), writes N enterprises with set-based SQL, then times the
first page (20 rows, in the list's order) of `enterprise_search` for an HQ user, the query behind the
enterprise list and `GET /api/v1/enterprises?q=`: a rare part of a name, a three-character part shared by one
enterprise in a thousand, a two-character part shared by all (too short for trigrams), and a credit-code
prefix. Each term is timed `--repeat` times; the median and the worst are printed. The baseline is the same
query with the trigram index out of reach (a plain scan of the names: the data without the index).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from throwaway import report, throwaway_django

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

WORDS = "华盛达通远兴隆泰恒信"  # two of them and a number make each name


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--db-name", default=f"ciq_search_bench_{os.getpid()}", help="PostgreSQL database to create and drop"
    )
    return parser.parse_args()


def load(n: int) -> None:
    from django.db import connection, transaction

    from ciqcredit.organizations.models import Organization

    org = Organization.objects.get(code="000000").pk
    pg = connection.vendor == "postgresql"
    if pg:
        series, num = f"generate_series(1, {n}) AS s(g)", "lpad(g::text, 16, '0')"
    else:
        series = f"(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {n}) SELECT g FROM s)"
        num = "printf('%016d', g)"
    name = (
        f"'深圳市' || substr('{WORDS}', 1 + g % 10, 1) || substr('{WORDS}', 1 + (g / 10) % 10, 1) "
        f"|| substr('{WORDS}', 1 + (g / 100) % 10, 1) || g || '进出口有限公司'"
    )
    now = "now()" if pg else "datetime('now')"
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO enterprises_enterprise (credit_code, name, org_code, ciq_registration_no, "
            "legal_representative, address, main_business, types, registering_org_id, registered_on, status, "
            f"created_at, updated_at) SELECT '91' || {num}, {name}, '', '47' || {num}, '', '', '', ';importer;', "
            f"{org}, NULL, 'active', {now}, {now} FROM {series}"
        )
    with connection.cursor() as c:
        c.execute("ANALYZE")


def timed(text: str, user, repeat: int, plain: bool = False) -> list[float]:
    from django.db import connection, transaction

    from ciqcredit.enterprises.selectors import enterprise_search

    times = []
    for _ in range(repeat):
        with transaction.atomic():
            if plain and connection.vendor == "postgresql":
                with connection.cursor() as c:
                    c.execute("SET LOCAL enable_bitmapscan = off")  # the GIN index is reached by bitmap scans
            started = time.perf_counter()
            qs = enterprise_search(user, text=text)
            if plain and connection.vendor == "sqlite":
                qs.query.where.children = qs.query.where.children[-1:]  # drop the FTS narrowing, keep the text
            rows = list(qs[:20])
            times.append(time.perf_counter() - started)
    assert rows, text
    return times


def main() -> None:
    args = parse_args()
    with throwaway_django(args.db_name, prefix="ciq-search-bench-") as (database, workdir):
        from django.db import connection

        from ciqcredit.actors import Actor
        from ciqcredit.organizations.models import Organization
        from ciqcredit.organizations.services import reference_organizations_load, user_create

        setup = Actor.job("benchmark")
        reference_organizations_load(actor=setup)
        user, _ = user_create(
            username="bench_hq",
            organization=Organization.objects.get(code="000000"),
            department_kind="credit",
            roles=["hq_admin"],
            password="bench-password-1",
            actor=setup,
            full_name="基准",
        )
        started = time.perf_counter()
        load(args.enterprises)
        print(
            f"{database}: {args.enterprises:,} enterprises written and analysed in {time.perf_counter() - started:.1f}s"
        )
        rare = str(args.enterprises * 7 // 10 + 3)  # the number of one enterprise (and a few longer ones)
        terms = {
            "rare": rare,
            "1_in_1000": "华盛达",
            "short_common": "深圳",
            "code_prefix": ("91" + rare.zfill(16))[:14],
        }
        figures, baseline = {}, {}
        for label, text in terms.items():
            times = timed(text, user, args.repeat)
            plain = timed(text, user, max(3, args.repeat // 5), plain=True)
            figures[label] = round(statistics.median(times) * 1000, 2)
            baseline[label] = round(statistics.median(plain) * 1000, 2)
            print(
                f"  {label:13} {text!r:22} median {figures[label]:8.2f} ms, worst {max(times) * 1000:8.2f} ms; "
                f"without the index {baseline[label]:8.2f} ms"
            )
        worst = max(figures.values())
        report(
            "name_search",
            connection.vendor,
            args.enterprises,
            worst / 1000,
            median_ms=figures,
            baseline_median_ms=baseline,
            worst_median_ms=worst,
            rate_per_s=round(1000 / worst),  # searches per second at the slowest term's median
            target_ms=50,
        )


if __name__ == "__main__":
    main()
