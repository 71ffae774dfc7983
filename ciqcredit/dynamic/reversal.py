"""Undoing a carried-out downgrade or listing whose record was withdrawn (issue 13 item 4).

When a record stops counting (revoked or corrected, e.g. after an upheld objection), the open cases resting on it
are cancelled (services.dynamic_record_withdrawn); a case already carried out has changed a grade, and that effect
is undone here by a new grade change, audited and written to the change feed like every grade change:
- a downgrade (cause `reversal`): back to the grade and 布控 in force before it;
- a listing (cause `removal`, so the feed's serious-list followers see the enterprise leave the list): likewise.
The case is closed as cancelled, with the reversal linked and the reason in its history. The enterprise is then
re-checked: if its remaining records still reach a condition, a new case opens with a fresh notice.

Only a change still in force is reversed: if a later grade change (a periodic result, an adjustment) has replaced
it, that later decision stands, and the case is cancelled with an audit row (`dynamic.case.reversal_superseded`)
so staff can review the later decision.
"""

from django.db.models import Q

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.collection.models import CreditRecord
from ciqcredit.dynamic.models import CaseKind, CaseStatus, DynamicCase
from ciqcredit.dynamic.workflow import transition
from ciqcredit.rating.models import CurrentGrade, GradeCause, GradeChange
from ciqcredit.rating.services.grades import grade_change_apply

REVERSIBLE = (CaseStatus.CARRIED_OUT, CaseStatus.APPROVED)


def _before(change: GradeChange) -> GradeChange | None:
    """The change that was in force just before `change`."""
    earlier = Q(effective_from__lt=change.effective_from) | Q(effective_from=change.effective_from, id__lt=change.pk)
    return (
        GradeChange.objects.filter(enterprise_id=change.enterprise_id)
        .filter(earlier)
        .order_by("-effective_from", "-id")
        .first()
    )


def cases_reverse_for_withdrawn(*, record: CreditRecord, reason: str, actor: Actor) -> list[DynamicCase]:
    """Reverse the carried-out cases resting on `record` (in the caller's transaction). Returns them."""
    ids = DynamicCase.objects.filter(Q(case_records__record=record) | Q(trigger_record=record)).values_list(
        "id", flat=True
    )
    cases = list(
        DynamicCase.objects.select_for_update()
        .filter(pk__in=set(ids), status__in=REVERSIBLE, reversal__isnull=True, grade_change__isnull=False)
        .select_related("enterprise", "organization", "grade_change")
        .order_by("id")
    )
    text = f"所依据的失信信息{record.association_no}（{record.item_code}）已失效：{reason}".strip("：")
    for case in cases:
        change = case.grade_change
        assert change is not None
        current = CurrentGrade.objects.filter(enterprise_id=case.enterprise_id).first()
        before = _before(change)
        if current is None or current.change_id != change.pk or before is None:
            audit_log(
                actor=actor,
                action="dynamic.case.reversal_superseded",
                target=case,
                organization_id=case.organization_id,
                new={
                    "reason": text,
                    "grade_change": change.pk,
                    "current_change": current.change_id if current else None,
                },
            )
            why = "降级前尚无信用等级，无可恢复的等级" if before is None else "其后已有新的等级决定，维持该决定"
            transition(case, CaseStatus.CANCELLED, actor=actor, reason=f"{text}；{why}")
            continue
        cause = GradeCause.REMOVAL if case.kind == CaseKind.SERIOUS_LIST else GradeCause.REVERSAL
        what = "撤销列入严重失信企业名单" if case.kind == CaseKind.SERIOUS_LIST else "撤销即时降级"
        reversal = grade_change_apply(
            enterprise=case.enterprise,
            grade=before.grade,
            cause=cause,
            effective_from=clock.today(),
            actor=actor,
            controlled=before.controlled,
            ruleset_version=case.ruleset_version,
            reason=f"{what}，恢复为{before.grade}级：{text}",
            source=("dynamic.dynamiccase", str(case.pk)),
            notice_number=change.notice_number,
        )
        case.reversal, case.reversed_on = reversal, clock.today()
        case.cancel_reason = text
        case.save(update_fields=["reversal", "reversed_on", "cancel_reason"])
        audit_log(
            actor=actor,
            action="dynamic.case.reversed",
            target=case,
            organization_id=case.organization_id,
            old={"grade": change.grade, "controlled": change.controlled},
            new={"grade": before.grade, "controlled": before.controlled, "reason": text, "grade_change": reversal.pk},
        )
        transition(case, CaseStatus.CANCELLED, actor=actor, reason=f"{what}，恢复为{before.grade}级：{text}")
    return cases
