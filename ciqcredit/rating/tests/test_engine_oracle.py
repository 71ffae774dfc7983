"""The SQL engine gives the same grade, rule and points as the pure oracle (rules.periodic_grade) for every
enterprise of a randomized population, under the reference rule set and under other parameters."""

import datetime as dt
import random

from ciqcredit.rating.engine import COLUMNS, evaluation_select, fetch
from ciqcredit.rating.models import MonthlyActivity
from ciqcredit.rating.services.aa import serious_listed
from ciqcredit.rating.services.grades import grade_on
from ciqcredit.rating.tests.conftest import PERIOD_END, PERIOD_START, activity, give_grade
from ciqcredit.rules.grading import RecordFact, count_points, periodic_grade
from ciqcredit.rules.params import PointBand, RuleSetParams
from ciqcredit.testing import make_enterprise

DAY = dt.timedelta(days=1)
POINTS = (0, 1, 1, 2, 3, 6, 12, 24)
# Dates around both period boundaries, and inside.
DATES = (
    PERIOD_START - DAY,
    PERIOD_START,
    PERIOD_START + DAY,
    dt.date(2017, 3, 15),
    PERIOD_END - DAY,
    PERIOD_END,
    PERIOD_END + DAY,
    dt.date(2015, 12, 1),
)
STATUSES = ("effective",) * 6 + ("revoked", "superseded", "draft", "corrected", "awaiting_confirmation")

PARAMS = {
    "reference": RuleSetParams(),
    "fixed_no_business_aa_keep_2": RuleSetParams(
        no_business={"action": "fixed_grade", "fallback_grade": "C"},
        aa={"keep_max_points": 2},
        new_enterprise={"grade": "A"},
    ),
    "four_bands": RuleSetParams(
        bands=(
            PointBand(min_points=0, max_points=2, grade="A"),
            PointBand(min_points=3, max_points=9, grade="B"),
            PointBand(min_points=10, max_points=29, grade="C"),
            PointBand(min_points=30, max_points=None, grade="D"),
        )
    ),
}


def _population(world, rng: random.Random):
    cast, records = world.cast, world.records
    orgs = [cast.branch_a, cast.bureau_a, cast.bureau_b]
    enterprises, rows = [], []
    for n in range(2, 302):
        registered = rng.choice(
            [
                dt.date(2010, 5, 1),
                dt.date(2016, 1, 1),
                PERIOD_START,
                PERIOD_START + DAY,
                dt.date(2017, 5, 1),
                PERIOD_END + DAY,
                None,
            ]
        )
        enterprise = make_enterprise(n, rng.choice(orgs), status=rng.choice(["active"] * 9 + ["cancelled"]))
        if registered is None:
            enterprise.registered_on = None
            enterprise.save(update_fields=["registered_on"])
        else:
            enterprise.registered_on = registered
            enterprise.save(update_fields=["registered_on"])
        enterprises.append(enterprise)
        history = rng.choice(["none", "one", "two", "listed", "listed_removed", "later_change"])
        if history != "none":
            give_grade(enterprise, rng.choice(["AA", "A", "B", "C", "D"]), dt.date(2015, 10, 10))
        if history == "two":
            give_grade(enterprise, rng.choice(["AA", "A", "B", "C"]), dt.date(2017, 2, 1))
        if history in ("listed", "listed_removed"):
            give_grade(enterprise, "D", dt.date(2017, 3, 1), cause="listing", controlled=True)
        if history == "listed_removed":
            give_grade(enterprise, "C", rng.choice([dt.date(2017, 8, 1), PERIOD_END + DAY]), cause="removal")
        if history == "later_change":
            give_grade(enterprise, "B", PERIOD_END + 5 * DAY, cause="dynamic_downgrade")
        for _ in range(rng.choice([0, 0, 1, 2, 3, 5])):
            other = rng.random() < 0.1
            rows.append(
                records.make(
                    enterprise if not other else cast.enterprise,
                    rng.choice(POINTS),
                    rng.choice(DATES),
                    status=rng.choice(STATUSES),
                    other_party=enterprise if other else None,
                )
            )
        business = rng.choice(["none", "zero", "in", "in", "in", "before"])
        if business == "zero":
            activity(enterprise, dt.date(2017, 1, 1), declarations=0)
        elif business == "in":
            activity(enterprise, rng.choice([PERIOD_START, dt.date(2017, 4, 1), PERIOD_END]), declarations=3)
        elif business == "before":
            activity(enterprise, PERIOD_START - DAY, declarations=5)
    records.bulk(rows)
    return enterprises


def _oracle(params, enterprise, record_rows):
    facts = [
        RecordFact(
            id=r.pk,
            item_code=r.item_code,
            points=r.points,
            occurred_on=r.occurred_on,
            act_ref=r.act_ref,
            status=r.status,
            responsible=r.enterprise_id == enterprise.pk,
        )
        for r in record_rows
    ]
    summary = count_points(facts, PERIOD_START, PERIOD_END)
    had_business = MonthlyActivity.objects.filter(
        enterprise=enterprise, month__gte=PERIOD_START.replace(day=1), month__lte=PERIOD_END, declarations__gt=0
    ).exists()
    decision = periodic_grade(
        params,
        points=summary.total,
        previous_grade=grade_on(enterprise, PERIOD_END).grade,
        is_new=enterprise.registered_on is not None and enterprise.registered_on > PERIOD_START,
        had_business=had_business,
        serious_listed=serious_listed(enterprise, PERIOD_END),
    )
    return decision, summary


def test_engine_agrees_with_oracle_under_every_parameter_set(world):
    enterprises = _population(world, random.Random(20171009))
    for name, params in PARAMS.items():
        _check(world, enterprises, name, params)


def _check(world, enterprises, name, params):
    engine_rows = {
        row[0]: dict(zip(COLUMNS, row, strict=True))
        for row in fetch(evaluation_select(params, start=PERIOD_START, end=PERIOD_END))
    }
    record_model = world.records.model
    expected_ids = set()
    rules_seen = set()
    for enterprise in [*enterprises, world.cast.enterprise]:
        rated = enterprise.status == "active" and (
            enterprise.registered_on is None or enterprise.registered_on <= PERIOD_END
        )
        if not rated:
            assert enterprise.pk not in engine_rows, enterprise.credit_code
            continue
        expected_ids.add(enterprise.pk)
        rows = list(record_model.objects.filter(enterprise=enterprise)) + list(
            record_model.objects.filter(other_party=enterprise)
        )
        decision, summary = _oracle(params, enterprise, rows)
        got = engine_rows[enterprise.pk]
        assert (got["grade"], got["rule"], int(got["points"])) == (decision.grade, decision.rule, summary.total), (
            enterprise.credit_code,
            got,
            decision,
        )
        assert int(got["records_counted"]) == len(summary.counted)
        rules_seen.add(decision.rule)
    assert set(engine_rows) == expected_ids
    # The population exercises every rule the parameters allow.
    if name == "reference":
        assert rules_seen >= {
            "serious_list",
            "new_enterprise",
            "no_business_keep",
            "no_business_fallback",
            "aa_kept",
            "aa_lost",
            "band",
        }
    if name == "fixed_no_business_aa_keep_2":
        assert "no_business_fixed" in rules_seen
