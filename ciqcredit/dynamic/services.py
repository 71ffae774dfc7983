"""Dynamic management (动态管理): every state change of a case, from opening to listing or removal.

`dynamic_recheck` is called by collection in the transaction that makes a record effective; it asks the
pure rules (ciqcredit.rules.grading) what to open and opens each case with its drafted notice. The other
services are re-exported here so callers have one place to look:
  confirmation.py case_confirm, case_adjust, cases_close_unconfirmed
  notices.py   notice_deliver
  procedure.py case_carry_out, case_record_defence, case_answer_defence, case_record_no_defence,
               case_report_to_bureau, hq_batch_create, hq_batch_approve, hq_batch_reject, case_cancel
  removal.py   removal_apply, removal_decide, removal_refuse
"""

import logging

from django.db import transaction
from django.db.models import Q

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.catalogue.selectors import ruleset_on
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.selectors import records_effective_in
from ciqcredit.dynamic.confirmation import case_adjust, case_confirm, cases_close_unconfirmed, confirmation_windows
from ciqcredit.dynamic.models import CLOSED_STATUSES, CaseKind, CaseRecord, CaseStatus, CaseTransition, DynamicCase
from ciqcredit.dynamic.notices import downgrade_detail, notice_deliver, notice_draft
from ciqcredit.dynamic.procedure import (
    _cancel,
    case_answer_defence,
    case_cancel,
    case_carry_out,
    case_record_defence,
    case_record_no_defence,
    case_report_to_bureau,
    hq_batch_approve,
    hq_batch_create,
    hq_batch_reject,
)
from ciqcredit.dynamic.removal import removal_apply, removal_decide, removal_refuse
from ciqcredit.dynamic.reversal import cases_reverse_for_withdrawn
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.rating.services.grades import grade_on
from ciqcredit.rules.grading import (
    Action,
    PointsSummary,
    RecordFact,
    count_points,
    downgrade_outcome,
    dynamic_actions,
    period_containing,
)
from ciqcredit.rules.params import RuleSetParams

__all__ = [
    "case_adjust",
    "case_confirm",
    "cases_close_unconfirmed",
    "case_answer_defence",
    "case_cancel",
    "case_carry_out",
    "case_record_defence",
    "case_record_no_defence",
    "case_report_to_bureau",
    "dynamic_recheck",
    "dynamic_record_withdrawn",
    "hq_batch_approve",
    "hq_batch_create",
    "hq_batch_reject",
    "notice_deliver",
    "removal_apply",
    "removal_decide",
    "removal_refuse",
]

logger = logging.getLogger(__name__)
_FACT_FIELDS = ("id", "item_code", "points", "occurred_on", "act_ref", "serious", "penalised", "enters_blacklist")


def _facts(enterprise: Enterprise, start, end) -> list[RecordFact]:
    rows = records_effective_in(start, end).filter(enterprise=enterprise).values_list(*_FACT_FIELDS)
    return [RecordFact(**dict(zip(_FACT_FIELDS, row, strict=True))) for row in rows]


def _open_case(
    *,
    enterprise: Enterprise,
    action: Action,
    params: RuleSetParams,
    current_controlled: bool,
    summary: PointsSummary,
    threshold: int,
    ruleset_version: int,
    period: tuple,
    trigger_record: CreditRecord | None,
    actor: Actor,
) -> DynamicCase:
    kind = CaseKind.SERIOUS_LIST if action.kind == "serious_list" else CaseKind.DOWNGRADE
    from_grade, to_grade, controlled = action.from_grade or "", action.to_grade or "", action.controlled
    if kind == CaseKind.DOWNGRADE:
        # The notice states what delivery will do: the outcome on today's grade (with no grade, the band's).
        to_grade, controlled = downgrade_outcome(
            params, current_grade=action.from_grade, controlled=current_controlled, points=summary.total
        )
    case = DynamicCase(
        enterprise=enterprise,
        kind=kind,
        action=action.kind,
        rule=action.rule,
        detail=action.detail,
        from_grade=from_grade,
        to_grade=to_grade,
        controlled=controlled,
        points=summary.total,
        serious_points=summary.serious_penalised_points,
        threshold=threshold,
        ruleset_version=ruleset_version,
        period_start=period[0],
        period_end=period[1],
        organization=enterprise.registering_org,
        trigger_record=trigger_record,
        opened_at=clock.now(),
    )
    if kind == CaseKind.DOWNGRADE:
        # §四(一)–(二): the proposed grade waits for confirmation before its notice (confirmation.py).
        case.detail = downgrade_detail(case)
        case.status = CaseStatus.AWAITING_CONFIRMATION
        case.confirm_until, case.adjust_until = confirmation_windows(params, clock.today())
    case.save(force_insert=True)
    CaseRecord.objects.bulk_create(CaseRecord(case=case, record_id=r.id, points=r.points) for r in summary.counted)
    audit_log(
        actor=actor,
        action="dynamic.case.opened",
        target=case,
        organization_id=case.organization_id,
        new={
            "kind": kind,
            "rule": action.rule,
            "points": summary.total,
            "serious_points": summary.serious_penalised_points,
            "from_grade": case.from_grade,
            "to_grade": case.to_grade,
            "controlled": case.controlled,
            "ruleset_version": ruleset_version,
            "records": [r.id for r in summary.counted],
            "trigger_record": trigger_record.pk if trigger_record else None,
        },
    )
    CaseTransition.objects.create(
        case=case,
        from_status="",
        to_status=case.status,
        reason=case.detail,
        actor=actor.user,
        actor_label=actor.label,
        at=clock.now(),
    )
    if case.status == CaseStatus.AWAITING_NOTICE:
        notice_draft(case=case, actor=actor)
    return case


@transaction.atomic
def dynamic_recheck(*, enterprise: Enterprise, trigger_record: CreditRecord | None, actor: Actor) -> list[DynamicCase]:
    """Re-check an enterprise now; open a case (with its notice) for each dynamic action not already open.

    Points are those of the enterprise's effective records in the evaluation period containing today, under
    the rule set in force today. Returns the cases opened (usually none).
    """
    today = clock.today()
    version = ruleset_on(today)
    if version is None:
        # No published rule set yet (a fresh installation): there is nothing to apply, and confirming records
        # must not fail for it. Cases open at the next recheck once rules are published.
        logger.warning("dynamic recheck of enterprise %s skipped: no rule set in force on %s", enterprise.pk, today)
        return []
    params = version.rule_params
    # One recheck of an enterprise at a time: two records confirmed together must not open two cases.
    enterprise = Enterprise.objects.select_for_update().select_related("registering_org").get(pk=enterprise.pk)
    start, end = period_containing(params, today)
    summary = count_points(_facts(enterprise, start, end), start, end)
    cases = DynamicCase.objects.filter(enterprise=enterprise)
    listed = cases.filter(kind=CaseKind.SERIOUS_LIST, status=CaseStatus.APPROVED).exists()
    downgraded = cases.filter(kind=CaseKind.DOWNGRADE, period_start=start).exclude(status=CaseStatus.CANCELLED).exists()
    current = grade_on(enterprise, today)
    actions = dynamic_actions(
        params,
        current_grade=current.grade,
        summary=summary,
        controlled=current.controlled,
        serious_listed=listed,
        downgraded_this_period=downgraded,
    )
    opened = []
    for action in actions:
        if action.kind == "serious_list":
            open_listing = cases.filter(kind=CaseKind.SERIOUS_LIST).exclude(status__in=CLOSED_STATUSES).exists()
            # HQ said no in this period: the same points do not reopen it, only more serious points do.
            rejected = cases.filter(
                kind=CaseKind.SERIOUS_LIST,
                status=CaseStatus.REJECTED,
                period_start=start,
                serious_points__gte=summary.serious_penalised_points,
            ).exists()
            if open_listing or rejected:
                continue
            threshold = params.serious_list.threshold
        else:
            threshold = params.immediate_downgrade.threshold
        opened.append(
            _open_case(
                enterprise=enterprise,
                action=action,
                params=params,
                current_controlled=current.controlled,
                summary=summary,
                threshold=threshold,
                ruleset_version=version.number,
                period=(start, end),
                trigger_record=trigger_record,
                actor=actor,
            )
        )
    return opened


@transaction.atomic
def dynamic_record_withdrawn(*, record: CreditRecord, reason: str, actor: Actor) -> list[DynamicCase]:
    """A record stopped counting (revoked, corrected or superseded): cancel the open cases not yet carried
    out that rest on it, then re-check the enterprise, which reopens a case, with a fresh notice, if the
    remaining records still reach a condition. Returns the cases cancelled.

    Collection calls it in the transaction that withdraws the record. A downgrade or listing already carried out
    is undone by a new grade change (reversal.cases_reverse_for_withdrawn), and its case closed as cancelled.
    """
    ids = set(
        DynamicCase.objects.filter(Q(case_records__record=record) | Q(trigger_record=record)).values_list(
            "id", flat=True
        )
    )
    # A case already in an HQ batch is for HQ to decide (it rejects it); every other open case is cancelled.
    affected = list(
        DynamicCase.objects.select_for_update()
        .filter(pk__in=ids)
        .exclude(status__in=[*CLOSED_STATUSES, CaseStatus.REPORTED_TO_HQ])
        .select_related("organization")
        .order_by("id")
    )
    text = f"触发记录{record.association_no}（{record.item_code}）已失效：{reason}".strip("：")
    for case in affected:
        _cancel(case, reason=text, actor=actor)
    reversed_cases = cases_reverse_for_withdrawn(record=record, reason=reason, actor=actor)
    if affected or reversed_cases:
        dynamic_recheck(enterprise=record.enterprise, trigger_record=None, actor=actor)
    return affected + reversed_cases
