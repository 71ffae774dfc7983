"""Why an enterprise has its grade: the change in force, the result behind it, and every record with its reason.

The records are judged by the pure rules (`count_points`), the same functions the engine is tested against, so
the explanation and the evaluation cannot disagree about what counted. Records are those where the enterprise
is the responsible one or the other party of the act (shown as `not_responsible`).
"""

import datetime as dt
from typing import Any, cast

from ciqcredit import clock
from ciqcredit.collection.selectors import records_concerning
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.rating.models import EvaluationResult, GradeCause, GradeChange
from ciqcredit.rating.services.grades import grade_on
from ciqcredit.rules.grading import (
    REASON_LABELS,
    RecordFact,
    RecordStatus,
    count_points,
    period_containing,
    periodic_grade,
)
from ciqcredit.rules.params import RuleSetParams

RECORD_LIMIT = 1000


def _thresholds(params: RuleSetParams) -> dict[str, Any]:
    return {
        "bands": [
            {"min_points": b.min_points, "max_points": b.max_points, "grade": b.grade}
            for b in sorted(params.bands, key=lambda b: b.min_points)
        ],
        "aa_keep_max_points": params.aa.keep_max_points,
        "new_enterprise_grade": params.new_enterprise.grade,
        "no_business": {"action": params.no_business.action, "fallback_grade": params.no_business.fallback_grade},
        "immediate_downgrade_threshold": params.immediate_downgrade.threshold,
        "serious_list_threshold": params.serious_list.threshold,
    }


def _result_for(enterprise: Enterprise, change: GradeChange | None, on: dt.date) -> EvaluationResult | None:
    results = EvaluationResult.objects.filter(enterprise=enterprise).select_related("run")
    if change is not None and change.source_type == "rating.evaluationresult":
        found = results.filter(pk=int(change.source_id)).first()
        if found is not None:
            return found
    return results.filter(run__period_end__lte=on).order_by("-run__period_end").first()


def _record_facts(enterprise: Enterprise) -> tuple[list[RecordFact], dict[int, Any]]:
    rows = list(records_concerning(enterprise).select_related("item")[:RECORD_LIMIT])
    facts = [
        RecordFact(
            id=r.pk,
            item_code=r.item_code,
            points=r.points,
            occurred_on=r.occurred_on,
            act_ref=r.act_ref or None,
            status=cast(RecordStatus, r.status),  # the record statuses the rules know
            responsible=r.enterprise_id == enterprise.pk,
            serious=r.serious,
            penalised=r.penalised,
            enters_blacklist=r.enters_blacklist,
        )
        for r in rows
    ]
    return facts, {r.pk: r for r in rows}


def grade_explanation(enterprise: Enterprise, on: dt.date | None = None) -> dict[str, Any]:
    """The grade in force on `on` (default today) and everything that explains it."""
    from ciqcredit.rating.rulesets import ruleset_in_force

    on = on or clock.today()
    current = grade_on(enterprise, on)
    change = GradeChange.objects.filter(pk=current.change_id).select_related("decided_by").first()  # type: ignore[misc]  # django-stubs refuse None, which Django reads as IS NULL
    result = _result_for(enterprise, change, on)
    if result is not None:
        params = RuleSetParams.model_validate(result.run.ruleset_params)
        start, end = result.run.period_start, result.run.period_end
        ruleset_version = result.run.ruleset_version
    else:
        version = ruleset_in_force(on)
        params = version.rule_params
        start, end = period_containing(params, on)
        ruleset_version = version.number
    facts, rows = _record_facts(enterprise)
    summary = count_points(facts, start, end)
    records = [
        {
            "id": o.record.id,
            "item_code": o.record.item_code,
            "item_name": rows[o.record.id].item.name,
            "points": o.record.points,
            "counted": o.counted,
            "reason": o.reason,
            "reason_label": REASON_LABELS[o.reason],
            "occurred_on": o.record.occurred_on.isoformat(),
            "status": o.record.status,
            "association_no": rows[o.record.id].association_no,
        }
        for o in summary.outcomes
    ]
    explanation: dict[str, Any] = {
        "credit_code": enterprise.credit_code,
        "on": on.isoformat(),
        "grade": current.grade,
        "effective_from": current.effective_from.isoformat() if current.effective_from else None,
        "cause": current.cause,
        "cause_label": GradeCause(current.cause).label if current.cause else None,
        "controlled": current.controlled,
        "ruleset_version": current.ruleset_version if current.ruleset_version is not None else ruleset_version,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "points": result.points if result is not None else summary.total,
        "points_now": summary.total,
        "rule": result.rule if result is not None else None,
        "rule_label": result.rule_label if result is not None else None,
        "detail": None,
        "thresholds": _thresholds(params),
        "records": records,
        "result": None,
        "adjustment": None,
        "decision": None,
    }
    if change is not None:
        explanation["decision"] = {
            "decided_by": change.decided_by_label,
            "reason": change.reason,
            "notice_number": change.notice_number,
            "recorded_at": change.recorded_at.isoformat(),
        }
    if result is not None:
        decision = periodic_grade(
            params,
            points=result.points,
            previous_grade=result.previous_grade or None,
            is_new=result.is_new,
            had_business=result.had_business,
            serious_listed=result.serious_listed,
        )
        explanation["detail"] = decision.detail
        explanation["result"] = {
            "run_id": result.run_id,
            "initial_grade": result.initial_grade,
            "status": result.status,
            "previous_grade": result.previous_grade or None,
            "records_counted": result.records_counted,
            "is_new": result.is_new,
            "had_business": result.had_business,
            "serious_listed": result.serious_listed,
            "unconfirmed": result.unconfirmed,
        }
        if result.status == "adjusted":
            explanation["adjustment"] = {
                "from_grade": result.initial_grade,
                "to_grade": result.final_grade,
                "reason": result.reason,
                "decided_by": result.decided_by_label,
                "decided_at": result.decided_at.isoformat() if result.decided_at else None,
            }
    return explanation
