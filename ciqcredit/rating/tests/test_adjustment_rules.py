"""Adjustment follows the rule set's adjustment rules (§四(二) 具体调整规则由各业务司局制定), and never lists:
D comes only from the serious-list procedure and AA only from HQ's AA batches, whatever is typed or sent."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.errors import DomainError
from ciqcredit.rating.models import EvaluationResult, GradeChange
from ciqcredit.rating.services.confirmation import result_adjust
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.tests.conftest import PERIOD_END, SETUP, activity, publish_ruleset
from ciqcredit.rules.grading import adjustment_refusal
from ciqcredit.rules.params import Adjustment, AdjustmentRule, RuleSetParams, params_from_reference

REFERENCE = RuleSetParams()


@pytest.mark.parametrize(
    ("from_grade", "to_grade", "kind", "code"),
    [
        ("A", "B", "credit", None),
        ("C", "B", "credit", None),
        ("A", "C", "credit", "adjustment_too_far"),
        ("B", "D", "credit", "d_by_serious_list_only"),
        ("C", "D", "credit", "d_by_serious_list_only"),
        ("A", "AA", "credit", "aa_by_batch_only"),
        ("A", "B", "business", "adjustment_department"),
        ("A", "B", None, "adjustment_department"),
        ("D", "C", "credit", "adjustment_not_allowed"),
    ],
)
def test_reference_rules_one_step_never_to_d_or_aa_by_the_credit_department(from_grade, to_grade, kind, code):
    refusal = adjustment_refusal(REFERENCE, from_grade=from_grade, to_grade=to_grade, department_kind=kind)
    assert (refusal.code if refusal else None) == code
    if refusal:
        assert refusal.message and not refusal.message.isascii()


def test_the_rule_set_decides_grades_steps_and_departments():
    params = RuleSetParams(
        adjustment=Adjustment(
            rules=(AdjustmentRule(from_grades=("A",), to_grades=("C",), max_steps=2, department_kinds=("business",)),)
        )
    )
    assert adjustment_refusal(params, from_grade="A", to_grade="C", department_kind="business") is None
    assert adjustment_refusal(params, from_grade="A", to_grade="B", department_kind="business").code == (
        "adjustment_not_allowed"
    )
    assert adjustment_refusal(params, from_grade="A", to_grade="C", department_kind="credit").code == (
        "adjustment_department"
    )
    # Even a rule set cannot open a path to D or AA: they have their own procedures.
    with pytest.raises(ValueError):
        AdjustmentRule(to_grades=("D",))


def test_a_rule_set_published_before_the_rules_existed_takes_the_reference_rules():
    stored = REFERENCE.model_dump(mode="json")
    del stored["adjustment"], stored["notice_delivery"]
    params = RuleSetParams.model_validate(stored)
    assert params.adjustment == REFERENCE.adjustment
    assert params_from_reference(stored) == ["notice_delivery", "adjustment"]


@pytest.fixture
def run(world):
    activity(world.cast.enterprise, dt.date(2017, 3, 1))
    world.records.add(world.cast.enterprise, 3, dt.date(2017, 3, 2))
    return evaluation_run(period_end=PERIOD_END, actor=SETUP)  # initial grade B


@pytest.mark.parametrize(("grade", "code"), [("D", "d_by_serious_list_only"), ("A", None), ("C", None)])
def test_service_refuses_d_by_hand(world, run, grade, code):
    enterprise = world.cast.enterprise
    if code:
        with pytest.raises(DomainError) as exc:
            result_adjust(
                run=run,
                credit_code=enterprise.credit_code,
                grade=grade,
                reason="严重违法",
                actor=Actor.of(world.cast.bureau_a_user),
            )
        assert exc.value.code == code
        assert EvaluationResult.objects.get(run=run).status == "pending"
        assert not GradeChange.objects.filter(cause="adjustment").exists()
    else:
        result = result_adjust(
            run=run,
            credit_code=enterprise.credit_code,
            grade=grade,
            reason="复核",
            actor=Actor.of(world.cast.bureau_a_user),
        )
        assert result.final_grade == grade


def test_api_refuses_d_and_records_which_rules_decided(world, run):
    from ciqcredit.audit.models import AuditEntry

    code = world.cast.enterprise.credit_code
    officer = world.cast.api(world.cast.staff_token_a)
    url = f"/api/v1/evaluations/{run.pk}/adjust"
    bad = officer.post(url, {"credit_code": code, "grade": "D", "reason": "严重违法"}, content_type="application/json")
    assert (bad.status_code, bad.json()["code"]) == (400, "d_by_serious_list_only")
    ok = officer.post(url, {"credit_code": code, "grade": "C", "reason": "复核"}, content_type="application/json")
    assert ok.status_code == 200
    audit = AuditEntry.objects.get(action="rating.evaluation.adjusted")
    assert audit.new["rules"] == {"max_steps": 1, "department_kinds": ["credit"], "reference_value": False}


def test_a_department_the_rules_do_not_name_cannot_adjust(world):
    officer = world.cast.bureau_a_user
    publish_ruleset(
        RuleSetParams(adjustment=Adjustment(rules=(AdjustmentRule(department_kinds=("business",)),))),
        number=2,
        effective_from=dt.date(2015, 1, 1),
    )
    activity(world.cast.enterprise, dt.date(2017, 3, 1))
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)
    with pytest.raises(DomainError) as exc:
        result_adjust(
            run=run, credit_code=world.cast.enterprise.credit_code, grade="C", reason="复核", actor=Actor.of(officer)
        )
    assert exc.value.code == "adjustment_department"


def test_worklist_offers_only_the_grades_the_rules_lead_to(world, run):
    page = world.cast.client_for(world.cast.bureau_a_user).get(f"/rating/runs/{run.pk}/worklist/").content.decode()
    options = page.split('aria-label="调整为"')[1].split("</select>")[0]
    assert "B</option>" in options and "C</option>" in options
    assert "D</option>" not in options and "AA</option>" not in options
