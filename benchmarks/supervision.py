"""Benchmark the supervision figures (issue 12): a bureau with 100,000 enterprises and 1,000,000 records.

    .venv/bin/python benchmarks/supervision.py [--enterprises 100000] [--records 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python benchmarks/supervision.py

Builds its own database (throwaway.py: an SQLite file in a temporary directory, or a PostgreSQL database
`ciq_supervision` created before and dropped after), migrates it and generates, with set-based SQL on the
server: the bureau 470000 with 10 branches; N enterprises registered across them; M credit records collected
by them over 2017 (5 % late by 1–8 working days, one in ten with a closed review deadline, 4 % of those late),
plus a fifth as many records at other bureaus (outside the scope); a periodic evaluation rated in October with
one result per enterprise (confirmed, adjusted inside and after the window, closed unconfirmed); 2,000 dynamic
cases with notices and step deadlines; staffing and training rows.

Then it times `figures_for(470000, 2017-01-01, 2017-12-31)` — the whole JSON object of the command and the API —
three times on the warm database and reports the best, and the count of one drill-down list. The last line is
one JSON object.
"""

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

from evaluation import series, step
from throwaway import neutral_columns, throwaway_django

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

TODAY = dt.date(2018, 1, 8)
START, END = dt.date(2017, 1, 1), dt.date(2017, 12, 31)
BRANCHES = 10
TARGET_SECONDS = 2.0
ROUTES = "CASE g % 4 WHEN 0 THEN 'eciq' WHEN 1 THEN 'supervision' WHEN 2 THEN 'penalty' ELSE 'manual' END"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--db-name", default="ciq_supervision", help="PostgreSQL database to create and drop")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args()


def load(n_enterprises: int, n_records: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from ciqcredit.actors import Actor
    from ciqcredit.catalogue.models import CatalogueItem, CatalogueVersion
    from ciqcredit.collection.models import CreditRecord
    from ciqcredit.dynamic.models import CaseDeadline, DynamicCase, Notice
    from ciqcredit.organizations.models import Department, Organization, StaffingRecord, TrainingRecord, User
    from ciqcredit.organizations.services import organization_create, reference_organizations_load
    from ciqcredit.rating.models import EvaluationResult, EvaluationRun
    from ciqcredit.workdays.models import Deadline

    pg = connection.vendor == "postgresql"
    now = timezone.now()
    bench = Actor(system="bench")
    reference_organizations_load(actor=bench)
    bureau = Organization.objects.get(code="470000")
    for i in range(BRANCHES):
        organization_create(code=f"47{i + 1:02d}00", name=f"基准分支局{i + 1}", parent_code="470000", actor=bench)
    ours = list(Organization.objects.filter(path__startswith=bureau.path).order_by("pk").values_list("pk", flat=True))
    others = list(
        Organization.objects.exclude(path__startswith=bureau.path).exclude(code="000000").values_list("pk", flat=True)
    )
    depts = {}
    for org_id in ours:
        for kind in ("declaration", "inspection", "credit"):
            depts[(org_id, kind)] = Department.objects.create(
                organization_id=org_id, kind=kind, name=f"{kind}-{org_id}"
            ).pk
    user = User.objects.create(username="bench", organization=bureau)
    version = CatalogueVersion.objects.create(
        number=1, status="published", effective_from=dt.date(2014, 1, 1), created_by_label="bench", created_at=now
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
    ts = "now()" if pg else "datetime('now')"

    def case_of(ids: list[int], expr: str) -> str:
        return f"CASE ({expr}) % {len(ids)} " + " ".join(f"WHEN {i} THEN {pk}" for i, pk in enumerate(ids)) + " END"

    code = "'B' || lpad(g::text, 17, '0')" if pg else "printf('B%017d', g)"
    entered = (
        "(timestamptz '2017-01-01 09:00:00+08' + ((g * 7) % 365) * interval '1 day')"
        if pg
        else "datetime('2017-01-01 01:00:00', '+' || ((g * 7) % 365) || ' days')"
    )
    with step(f"{n_enterprises:,} enterprises"), transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO enterprises_enterprise (credit_code, name, org_code, ciq_registration_no, "
            "legal_representative, address, main_business, types, registering_org_id, registered_on, status, "
            "created_at, updated_at) "
            + series(
                n_enterprises,
                f"SELECT {code}, '基准企业' || g, '', '', '', '', '', ';importer;', {case_of(ours, 'g')}, "
                f"'2012-01-01', 'active', {ts}, {ts}",
            )
        )
        c.execute("SELECT MIN(id) FROM enterprises_enterprise")
        first_id = c.fetchone()[0]

    # Review deadlines: one record in ten carries one, closed in 2017 (4 % of them late).
    n_reviews = n_records // 10
    with step(f"{n_reviews:,} review deadlines"), transaction.atomic(), connection.cursor() as c:
        closed = (
            "(date '2017-01-05' + ((g * 7) % 360))" if pg else "date('2017-01-05', '+' || ((g * 7) % 360) || ' days')"
        )
        due = (
            f"({closed} - CASE WHEN g % 25 = 0 THEN 3 ELSE 0 END)"
            if pg
            else f"date({closed}, '-' || CASE WHEN g % 25 = 0 THEN 3 ELSE 0 END || ' days')"
        )
        cols = neutral_columns(
            Deadline,
            {
                "kind": "'collection.review'",
                "target_type": "'collection.creditrecord'",
                "target_id": "g",
                "organization_id": case_of(ours, "g"),
                "start": "'2017-01-01'",
                "days": "5",
                "unit": "'working'",
                "due_on": due,
                "created_at": ts,
                "closed_at": ts,
                "closed_on": closed,
            },
        )
        c.execute(
            f"INSERT INTO workdays_deadline ({', '.join(cols)}) "
            + series(n_reviews, "SELECT " + ", ".join(cols.values()))
        )
        c.execute("SELECT MIN(id) FROM workdays_deadline")
        first_deadline = c.fetchone()[0]

    indexes, constraints = list(CreditRecord._meta.indexes), list(CreditRecord._meta.constraints)
    with connection.schema_editor() as editor:
        for index in indexes:
            editor.remove_index(CreditRecord, index)
        for constraint in constraints:
            editor.remove_constraint(CreditRecord, constraint)
    rec = CreditRecord._meta.db_table
    outside = max(1, n_records // 5)
    for label, n, orgs, offset in (
        ("in the bureau", n_records, ours, 0),
        ("at other bureaus", outside, others, n_records),
    ):
        with step(f"{n:,} records {label}"), transaction.atomic(), connection.cursor() as c:
            if pg:
                c.execute("SET LOCAL session_replication_role = replica")
            occurred = (
                "(date '2016-12-20' + ((g * 7) % 365))"
                if pg
                else "date('2016-12-20', '+' || ((g * 7) % 365) || ' days')"
            )
            org = case_of(orgs, "g")
            dept = "NULL"
            if orgs is ours:
                dept = "CASE " + " ".join(f"WHEN {org} = {o} THEN {depts[(o, 'declaration')]}" for o in ours) + " END"
            explicit = {
                "enterprise_id": f"{first_id} + (CAST(g AS BIGINT) * 7919) % {n_enterprises}",
                "item_id": str(item.pk),
                "item_code": "'B01'",
                "catalogue_version": "1",
                "points": "1",
                "act_ref": f"'a' || (g + {offset})",
                "occurred_on": occurred,
                "discovered_on": occurred,
                "verified_on": occurred,
                "entered_at": entered,
                "effective_at": entered,
                "submitted_at": entered,
                "organization_id": org,
                "department_id": dept,
                "route": ROUTES,
                "association_no": f"'J' || (g + {offset})",
                "status": "'effective'",
                "late_days": "CASE WHEN g % 20 = 0 THEN 1 + g % 8 ELSE 0 END",
                "review_late_days": "CASE WHEN g % 250 = 0 THEN 2 ELSE 0 END",
                "review_deadline_id": (
                    f"CASE WHEN g % 10 = 0 AND g / 10 <= {n_reviews} THEN {first_deadline} + g / 10 - 1 END"
                    if orgs is ours
                    else "NULL"
                ),
                "created_by_id": str(user.pk),
            }
            cols = neutral_columns(CreditRecord, explicit)
            c.execute(f"INSERT INTO {rec} ({', '.join(cols)}) " + series(n, "SELECT " + ", ".join(cols.values())))
    with step("record indexes"), connection.schema_editor() as editor:
        for index in indexes:
            editor.add_index(CreditRecord, index)
        for constraint in constraints:
            editor.add_constraint(CreditRecord, constraint)

    with step("evaluation results"), transaction.atomic(), connection.cursor() as c:
        run = EvaluationRun.objects.create(
            period_start=dt.date(2016, 10, 1),
            period_end=dt.date(2017, 9, 30),
            ruleset_version=1,
            ruleset_params={},
            rated_on=dt.date(2017, 10, 9),
            confirm_until=dt.date(2017, 10, 14),
            adjust_until=dt.date(2017, 10, 19),
            started_at=now,
            started_by_label="bench",
        )
        decided = (
            "timestamptz '2017-10-10 10:00+08' + (id % 9) * interval '1 day'"
            if pg
            else "datetime('2017-10-10 02:00:00', '+' || (id % 9) || ' days')"
        )
        status = "CASE WHEN id % 20 = 0 THEN 'adjusted' WHEN id % 7 = 0 THEN 'closed' ELSE 'confirmed' END"
        cols = neutral_columns(
            EvaluationResult,
            {
                "run_id": str(run.pk),
                "enterprise_id": "id",
                "organization_id": "registering_org_id",
                "points": "0",
                "records_counted": "0",
                "rule": "'points'",
                "initial_grade": "'A'",
                "status": status,
                "final_grade": "'A'",
                "decided_at": f"CASE WHEN id % 7 = 0 AND id % 20 <> 0 THEN NULL ELSE {decided} END",
                "reason": "CASE WHEN id % 40 = 0 THEN '现场核查' ELSE '' END",
            },
        )
        c.execute(
            f"INSERT INTO rating_evaluationresult ({', '.join(cols)}) SELECT {', '.join(cols.values())} "
            "FROM enterprises_enterprise"
        )

    with step("dynamic cases, staffing"), transaction.atomic():
        enterprises = list(range(first_id, first_id + min(2000, n_enterprises)))
        cases = DynamicCase.objects.bulk_create(
            DynamicCase(
                enterprise_id=e,
                kind="downgrade",
                status="carried_out" if i % 3 else "awaiting_notice",
                action="downgrade",
                rule="immediate_downgrade",
                detail="基准",
                points=24,
                threshold=24,
                ruleset_version=1,
                period_start=dt.date(2016, 10, 1),
                period_end=dt.date(2017, 9, 30),
                organization_id=ours[i % len(ours)],
                opened_at=now.replace(year=2017, month=1 + i % 12, day=10),
                carried_out_on=dt.date(2017, 1 + i % 12, 20) if i % 3 else None,
            )
            for i, e in enumerate(enterprises)
        )
        deadlines = Deadline.objects.bulk_create(
            Deadline(
                kind="dynamic.delivery",
                target_type="dynamic.dynamiccase",
                target_id=str(case.pk),
                organization_id=case.organization_id,
                start=dt.date(2017, 1 + i % 12, 10),
                days=5,
                unit="working",
                due_on=dt.date(2017, 1 + i % 12, 17),
                created_at=now,
                closed_at=now if i % 3 else None,
                closed_on=dt.date(2017, 1 + i % 12, 20) if i % 3 else None,
            )
            for i, case in enumerate(cases)
        )
        CaseDeadline.objects.bulk_create(
            CaseDeadline(case=case, step="dynamic.delivery", deadline=d)
            for case, d in zip(cases, deadlines, strict=True)
        )
        Notice.objects.bulk_create(
            Notice(
                case=case,
                number=f"BENCH-{case.pk}",
                organization_id=case.organization_id,
                year=2017,
                serial=case.pk,
                content={},
                drafted_at=now,
                delivered_on=case.carried_out_on,
            )
            for case in cases
        )
        people = StaffingRecord.objects.bulk_create(
            StaffingRecord(department_id=d, person_name=f"人员{i}") for i, d in enumerate(list(depts.values()) * 10)
        )
        TrainingRecord.objects.bulk_create(
            TrainingRecord(staffing=p, title="培训", held_on=dt.date(2017, 6, 1)) for p in people[::2]
        )
    with step("ANALYZE"), connection.cursor() as c:
        c.execute("ANALYZE")


def main() -> None:
    args = parse_args()
    with throwaway_django(
        args.db_name, prefix="ciq-supervision-bench-", today=TODAY, keep=args.keep, time_migrate=True
    ) as (database, workdir):
        print(f"督查数据基准：{database}，直属局企业 {args.enterprises:,}，信用信息 {args.records:,}")
        load(args.enterprises, args.records)
        from ciqcredit.organizations.models import Organization
        from ciqcredit.oversight.figures import figure_rows, figures_for

        bureau = Organization.objects.get(code="470000")
        times = []
        for _ in range(3):
            t = time.perf_counter()
            figures = figures_for(bureau, START, END)
            times.append(time.perf_counter() - t)
        best = min(times)
        t = time.perf_counter()
        _, late_rows = figure_rows(bureau, START, END, "collection.late")
        late_count = late_rows.count()
        drill = time.perf_counter() - t
        assert late_count == figures["collection"]["late"], (late_count, figures["collection"]["late"])
        print(f"  督查数据（全部六项）：最好 {best:.2f} s，三次 {', '.join(f'{x:.2f}' for x in times)} s")
        print(f"  逾期采集明细计数：{late_count:,} 条，{drill:.2f} s")
        c = figures["collection"]
        print(
            f"  采集 {c['collected']:,}，逾期 {c['late']:,}（{c['share_late'] * 100:.1f}%），"
            f"中位数 {c['median_delay_days']}，90分位 {c['p90_delay_days']}；审核 {figures['review']['reviewed']:,}；"
            f"结果 {figures['adjustment']['results']:,}；案件 {figures['dynamic']['triggered']:,}"
        )
        print(
            json.dumps(
                {
                    "benchmark": "supervision_figures",
                    "database": database.split(":")[0],
                    "enterprises": args.enterprises,
                    "records": args.records,
                    "figures_seconds": round(best, 3),
                    "runs_seconds": [round(x, 3) for x in times],
                    "drilldown_count_seconds": round(drill, 3),
                    "target_seconds": TARGET_SECONDS,
                    "met": best < TARGET_SECONDS,
                },
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
