"""Confirmation and adjustment of initial results (§四(二)), and closing what is left when the window ends.

The credit officers (`bureau_credit`) of the responsible organization or of an organization above it confirm
results — one, many, or every pending result of a filter — until the run's `confirm_until` (the confirmation
window from the rule set, counted from the initial rating in its day unit), and adjust a grade, with a written
reason, until `adjust_until`; later both are refused with `window_closed`. A decision writes the grade change
(cause periodic or adjustment), effective from the decision date. `evaluations_close` (the job behind
`ciqcredit close_evaluations`) closes every result still pending after the confirmation window: it takes effect
as computed, from the day after the window, flagged `unconfirmed` for the supervision figures. Until a result
takes effect the previous grade applies, because nothing is written to the grade history before.

Adjusting to AA is refused (`aa_by_batch_only`): AA is granted only by HQ in national batches.
"""

import datetime as dt
from typing import Any

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.errors import Conflict, DomainError, NotFound
from ciqcredit.organizations.access import person_of, require_role
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import Role
from ciqcredit.rating.models import EvaluationResult, EvaluationRun, GradeCause, ResultStatus
from ciqcredit.rating.selectors import results_visible_to
from ciqcredit.rating.services.result_decisions import Selection, results_decide
from ciqcredit.rules.params import GRADES_DESC

MAX_CODES = 10_000


def _window_closed(what: str, until: dt.date, today: dt.date) -> DomainError:
    return DomainError(
        "window_closed",
        f"{what}期限已于 {until.isoformat()} 届满，不能再{what}",
        {"until": until.isoformat(), "today": today.isoformat()},
        status=409,
    )


def _org_selection(org: Organization) -> Selection:
    table = Organization._meta.db_table
    return Selection(f"r.organization_id IN (SELECT o.id FROM {table} o WHERE o.path LIKE %s)", (org.path + "%",))


def _ids_selection(ids: list[int]) -> Selection:
    return Selection("r.id IN (" + ", ".join(["%s"] * len(ids)) + ")", tuple(ids))


def _results_by_codes(user: User, run: EvaluationRun, credit_codes: list[str]) -> list[EvaluationResult]:
    codes = list(dict.fromkeys(code.strip().upper() for code in credit_codes if code.strip()))
    if not codes:
        raise DomainError("no_credit_codes", "请指定要确认的企业", {"field": "credit_codes"})
    if len(codes) > MAX_CODES:
        raise DomainError(
            "too_many_codes", f"一次最多指定{MAX_CODES}家企业，请改用按条件全部确认", {"field": "credit_codes"}
        )
    found = list(results_visible_to(user, run).filter(enterprise__credit_code__in=codes).select_related("enterprise"))
    missing = sorted(set(codes) - {r.enterprise.credit_code for r in found})
    if missing:
        raise NotFound("评定结果", {"credit_codes": missing})
    return found


def results_confirm(
    *,
    run: EvaluationRun,
    actor: Actor,
    credit_codes: list[str] | None = None,
    organization: Organization | None = None,
    initial_grade: str = "",
) -> int:
    """Confirm the listed results, or every pending result of the filter (organization subtree, grade).

    Returns how many were confirmed. A listed result that is no longer pending is refused (`not_pending`).
    """
    user = person_of(actor)
    require_role(user, Role.BUREAU_CREDIT)
    today = clock.today()
    if today > run.confirm_until:
        raise _window_closed("确认", run.confirm_until, today)
    if credit_codes is not None:
        found = _results_by_codes(user, run, credit_codes)
        decided = [r for r in found if r.status != ResultStatus.PENDING]
        if decided:
            raise Conflict(
                "not_pending",
                "以下企业的评定结果已确认、调整或关闭，不能再确认",
                {"results": [{"credit_code": r.enterprise.credit_code, "status": r.status} for r in decided]},
            )
        selection = _ids_selection([r.pk for r in found])
        scope: dict[str, Any] = {"credit_codes": sorted(r.enterprise.credit_code for r in found)}
    else:
        org = organization or user.organization
        if not org.is_within(user.organization) and not user.is_hq:
            raise NotFound("机构")
        selection = _org_selection(org)
        if initial_grade:
            if initial_grade not in GRADES_DESC:
                raise DomainError("unknown_grade", f"未知的信用等级“{initial_grade}”", {"field": "initial_grade"})
            selection = Selection(selection.where + " AND r.initial_grade = %s", (*selection.params, initial_grade))
        scope = {"organization": org.code, "initial_grade": initial_grade or None}
    with transaction.atomic():
        count = results_decide(
            run=run,
            selection=selection,
            from_statuses=(ResultStatus.PENDING,),
            to_status=ResultStatus.CONFIRMED,
            cause=GradeCause.PERIODIC,
            effective_from=today,
            actor=actor,
            controlled_when_listed=run.ruleset_params.get("serious_list", {}).get("controlled", True),
        )
        if credit_codes is not None and count != len(selection.params):
            # Someone else decided one of them between our read and our claim: all or nothing.
            raise Conflict("not_pending", "部分评定结果刚被他人处理，请刷新后重试")
        audit_log(
            actor=actor,
            action="rating.evaluation.confirmed",
            target=run,
            organization_id=actor.organization_id,
            new={**scope, "confirmed": count},
        )
    return count


def result_adjust(*, run: EvaluationRun, credit_code: str, grade: str, reason: str, actor: Actor) -> EvaluationResult:
    """Adjust one result's grade with a written reason, within the adjustment window."""
    user = person_of(actor)
    require_role(user, Role.BUREAU_CREDIT)
    (result,) = _results_by_codes(user, run, [credit_code])
    reason = (reason or "").strip()
    if grade not in GRADES_DESC:
        raise DomainError("unknown_grade", f"未知的信用等级“{grade}”", {"field": "grade"})
    if grade == "AA":
        raise DomainError(
            "aa_by_batch_only", "AA级只能由总局按批次审批授予，不能通过调整评定结果给予", {"field": "grade"}
        )
    if not reason:
        raise DomainError("missing_reason", "调整评定结果须填写书面理由", {"field": "reason"})
    today = clock.today()
    if today > run.adjust_until:
        raise _window_closed("调整", run.adjust_until, today)
    with transaction.atomic():
        count = results_decide(
            run=run,
            selection=_ids_selection([result.pk]),
            from_statuses=tuple(ResultStatus.values),
            to_status=ResultStatus.ADJUSTED,
            cause=GradeCause.ADJUSTMENT,
            effective_from=today,
            actor=actor,
            final_grade=grade,
            reason=reason,
        )
        if count != 1:
            raise Conflict("not_adjustable", "该评定结果当前不能调整，请刷新后重试")
        audit_log(
            actor=actor,
            action="rating.evaluation.adjusted",
            target=run,
            organization_id=actor.organization_id,
            old={
                "credit_code": credit_code,
                "grade": result.final_grade or result.initial_grade,
                "status": result.status,
            },
            new={"credit_code": credit_code, "grade": grade, "reason": reason},
        )
    result.refresh_from_db()
    return result


def evaluations_close(*, actor: Actor, today: dt.date | None = None) -> dict[int, int]:
    """Close every result still pending after its run's confirmation window. Idempotent; returns {run_id: n}."""
    today = today or clock.today()
    closed: dict[int, int] = {}
    # Once a run is closed nothing can become pending again (confirmation ends with the window), so closed runs
    # are not scanned again.
    for run in EvaluationRun.objects.filter(confirm_until__lt=today, closed_at__isnull=True).order_by("period_end"):
        with transaction.atomic():
            count = results_decide(
                run=run,
                selection=Selection(),
                from_statuses=(ResultStatus.PENDING,),
                to_status=ResultStatus.CLOSED,
                cause=GradeCause.PERIODIC,
                effective_from=run.confirm_until + dt.timedelta(days=1),
                actor=actor,
                unconfirmed=True,
                controlled_when_listed=run.ruleset_params.get("serious_list", {}).get("controlled", True),
            )
            EvaluationRun.objects.filter(pk=run.pk, closed_at__isnull=True).update(closed_at=clock.now())
            if count:
                audit_log(
                    actor=actor,
                    action="rating.evaluation.closed",
                    target=run,
                    new={"closed": count, "effective_from": (run.confirm_until + dt.timedelta(days=1)).isoformat()},
                )
        if count:
            closed[run.pk] = count
    return closed
