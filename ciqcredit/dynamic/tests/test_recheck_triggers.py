"""What dynamic_recheck opens: downgrade at 24 points, never below C, listing at 36 serious penalised points or
by a blacklist item; one open case per kind; the records, rule set and organization kept on the case."""

import datetime as dt

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.dynamic.models import CaseKind, CaseStatus, DynamicCase
from ciqcredit.dynamic.services import dynamic_recheck, notice_deliver
from ciqcredit.dynamic.tests.fixtures import SETUP, fixture_grade, fixture_record, proof
from ciqcredit.rating.services.grades import grade_on


def _records(world, item, days, **kw):
    return [
        fixture_record(world.cast.enterprise, world.items[item], d, user=world.cast.branch_a_user, **kw) for d in days
    ]


def _recheck(world):
    return dynamic_recheck(enterprise=world.cast.enterprise, trigger_record=None, actor=SETUP)


def _deliver(world, case):
    notice_deliver(
        notice=case.notice,
        method="electronic",
        delivered_on=dt.date(2026, 3, 2),
        recipient="企业邮箱",
        proof_file=proof(),
        actor=Actor.of(world.cast.bureau_a_user),
    )
    case.refresh_from_db()
    return case


def test_below_threshold_opens_nothing(world):
    fixture_grade(world.cast.enterprise, "A")
    _records(world, "ordinary", [dt.date(2026, 1, 5)])
    _records(world, "ordinary", [dt.date(2025, 9, 30)])  # previous period: does not count
    assert _recheck(world) == []


def test_case_keeps_points_records_ruleset_and_organization(world):
    fixture_grade(world.cast.enterprise, "A")
    records = _records(world, "ordinary", [dt.date(2025, 10, 1), dt.date(2026, 3, 2)])
    [case] = _recheck(world)
    assert (case.points, case.threshold, case.ruleset_version) == (24, 24, 1)
    assert (case.from_grade, case.to_grade, case.controlled) == ("A", "B", True)
    assert case.organization == world.cast.branch_a
    assert (case.period_start, case.period_end) == (dt.date(2025, 10, 1), dt.date(2026, 9, 30))
    assert sorted(case.records.values_list("id", flat=True)) == sorted(r.id for r in records)
    # Already open (and downgraded in this period): a further record opens nothing more.
    _records(world, "ordinary", [dt.date(2026, 3, 2)])
    assert _recheck(world) == []


def test_never_below_c_but_control_is_set(world):
    fixture_grade(world.cast.enterprise, "C")
    _records(world, "ordinary", [dt.date(2025, 12, 1), dt.date(2026, 1, 1)])
    [case] = _recheck(world)
    assert (case.kind, case.action, case.from_grade, case.to_grade) == (CaseKind.DOWNGRADE, "control", "C", "C")
    _deliver(world, case)
    now = grade_on(world.cast.enterprise, dt.date(2026, 3, 2))
    assert (now.grade, now.controlled) == ("C", True)


def test_b_goes_to_c(world):
    fixture_grade(world.cast.enterprise, "B")
    _records(world, "ordinary", [dt.date(2025, 12, 1), dt.date(2026, 1, 1)])
    [case] = _recheck(world)
    _deliver(world, case)
    assert grade_on(world.cast.enterprise, dt.date(2026, 3, 2)).grade == "C"


def test_aa_is_lost_on_downgrade(world):
    fixture_grade(world.cast.enterprise, "AA")
    _records(world, "ordinary", [dt.date(2025, 12, 1), dt.date(2026, 1, 1)])
    [case] = _recheck(world)
    _deliver(world, case)
    now = grade_on(world.cast.enterprise, dt.date(2026, 3, 2))
    assert now.grade == "A" and now.cause == "dynamic_downgrade"
    assert "丧失AA级" in case.grade_change.reason
    assert AuditEntry.objects.filter(action="dynamic.case.aa_lost", target_id=str(world.cast.enterprise.pk)).exists()


def test_serious_penalised_points_reach_the_list(world):
    fixture_grade(world.cast.enterprise, "B")
    _records(world, "serious", [dt.date(2025, 11, 1), dt.date(2026, 2, 1)], penalised=True)
    cases = _recheck(world)
    assert {c.kind for c in cases} == {CaseKind.DOWNGRADE, CaseKind.SERIOUS_LIST}
    # An open listing case is not opened twice.
    _records(world, "serious", [dt.date(2026, 2, 2)], penalised=True)
    assert _recheck(world) == []
    assert DynamicCase.objects.filter(kind=CaseKind.SERIOUS_LIST).count() == 1


def test_serious_points_without_penalty_do_not_list(world):
    fixture_grade(world.cast.enterprise, "B")
    _records(world, "serious", [dt.date(2025, 11, 1), dt.date(2026, 2, 1)], penalised=False)
    assert {c.kind for c in _recheck(world)} == {CaseKind.DOWNGRADE}


def test_blacklist_item_lists_whatever_the_points(world):
    fixture_grade(world.cast.enterprise, "A")
    _records(world, "blacklist", [dt.date(2026, 2, 1)])
    [case] = _recheck(world)
    assert (case.kind, case.rule, case.points, case.status) == (
        CaseKind.SERIOUS_LIST,
        "serious_list_blacklist",
        0,
        CaseStatus.AWAITING_NOTICE,
    )


def test_without_a_rule_set_in_force_nothing_opens_and_nothing_fails(world):
    from ciqcredit.catalogue.models import RuleSetVersion
    from ciqcredit.catalogue.selectors import cache_clear

    RuleSetVersion.objects.update(effective_from=dt.date(2030, 1, 1))  # not yet in force
    cache_clear()
    fixture_grade(world.cast.enterprise, "A")
    _records(world, "blacklist", [dt.date(2026, 2, 1)])
    assert _recheck(world) == []
