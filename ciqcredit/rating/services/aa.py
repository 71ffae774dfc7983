"""AA (item 4): applications through the bureau, the eligibility check, and HQ's numbered national batches.

Eligibility is `rules.aa.aa_eligibility` over facts gathered here: months continuously at A (grade history), the
previous calendar year's declaration error rate (MonthlyActivity), the serious-list state (grade history), and
two facts only people can attest, recorded on the application (no incident/claim/dispute in the clean years;
months without a dishonesty record at commerce, customs and tax). AA is granted by `aa_batch_approve` through
`grade_change_apply` (cause `aa_batch`). Losing AA on a downgrade or listing belongs to dynamic management.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import Conflict, DomainError, NotFound
from ciqcredit.organizations.access import person_of, require_role
from ciqcredit.organizations.roles import Role
from ciqcredit.rating.models import (
    AAApplication,
    AABatch,
    AABatchStatus,
    AARequest,
    AARequestStatus,
    AAStatus,
    GradeCause,
    GradeChange,
    MonthlyActivity,
)
from ciqcredit.rating.services.grades import grade_change_apply, grade_on
from ciqcredit.rules.aa import Condition, aa_eligibility, aa_eligible


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (2016-10-08 → 2017-10-07: 11; → 2017-10-08: 12)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def months_at_a(enterprise: Enterprise, on: dt.date) -> int:
    """Months the enterprise has been continuously at A up to `on`, from its grade history."""
    changes = GradeChange.objects.filter(enterprise=enterprise, effective_from__lte=on).order_by(
        "-effective_from", "-id"
    )
    streak_start = None
    for change in changes.only("grade", "effective_from").iterator():
        if change.grade != "A":
            break
        streak_start = change.effective_from
    return months_between(streak_start, on) if streak_start else 0


def declaration_error_rate(enterprise: Enterprise, year: int) -> Decimal | None:
    totals = MonthlyActivity.objects.filter(
        enterprise=enterprise, month__gte=dt.date(year, 1, 1), month__lte=dt.date(year, 12, 1)
    ).aggregate(declarations=Sum("declarations"), errors=Sum("declaration_errors"))
    if not totals["declarations"]:
        return None
    return Decimal(totals["errors"] or 0) / Decimal(totals["declarations"])


def serious_listed(enterprise: Enterprise, on: dt.date) -> bool:
    last = (
        GradeChange.objects.filter(
            enterprise=enterprise, cause__in=[GradeCause.LISTING, GradeCause.REMOVAL], effective_from__lte=on
        )
        .order_by("-effective_from", "-id")
        .first()
    )
    return last is not None and last.cause == GradeCause.LISTING


def aa_check(
    enterprise: Enterprise, *, clean_years_ok: bool, other_regulators_clean_months: int, on: dt.date | None = None
) -> tuple[list[Condition], int]:
    """Every AA condition of the rule set in force, with whether it holds; and the rule-set number."""
    from ciqcredit.rating.rulesets import ruleset_in_force

    on = on or clock.today()
    version = ruleset_in_force(on)
    conditions = aa_eligibility(
        version.rule_params,
        months_at_a=months_at_a(enterprise, on),
        clean_years_ok=clean_years_ok,
        declaration_error_rate=declaration_error_rate(enterprise, on.year - 1),
        other_regulators_clean_months=other_regulators_clean_months,
        current_grade=grade_on(enterprise, on).grade,
        serious_listed=serious_listed(enterprise, on),
    )
    return conditions, version.number


def _snapshot(conditions: list[Condition]) -> list[dict[str, Any]]:
    return [{"code": c.code, "label": c.label, "holds": c.holds, "detail": c.detail} for c in conditions]


def _recheck(application: AAApplication) -> bool:
    conditions, number = aa_check(
        application.enterprise,
        clean_years_ok=application.clean_years_ok,
        other_regulators_clean_months=application.other_regulators_clean_months,
    )
    application.conditions = _snapshot(conditions)
    application.eligible = aa_eligible(conditions)
    application.ruleset_version = number
    application.checked_at = clock.now()
    return application.eligible


@transaction.atomic
def aa_apply(
    *, enterprise: Enterprise, clean_years_ok: bool, other_regulators_clean_months: int, notes: str = "", actor: Actor
) -> AAApplication:
    """Lodge an enterprise's AA application through its bureau (a credit officer in scope). Checked at once."""
    user = person_of(actor)
    require_role(user, Role.BUREAU_CREDIT)
    if other_regulators_clean_months < 0:
        raise DomainError("bad_count", "月数不能为负数", {"field": "other_regulators_clean_months"})
    if AAApplication.objects.filter(enterprise=enterprise, status__in=[AAStatus.SUBMITTED, AAStatus.IN_BATCH]).exists():
        raise Conflict("aa_application_open", "该企业已有在办的AA级申请")
    application = AAApplication(
        enterprise=enterprise,
        organization=user.organization,
        applied_on=clock.today(),
        clean_years_ok=clean_years_ok,
        other_regulators_clean_months=other_regulators_clean_months,
        notes=notes,
        created_by=user,
        created_at=clock.now(),
    )
    _recheck(application)
    application.save()
    audit_log(
        actor=actor,
        action="rating.aa.applied",
        target=application,
        organization_id=enterprise.registering_org_id,
        new={
            "credit_code": enterprise.credit_code,
            "eligible": application.eligible,
            "conditions": application.conditions,
        },
    )
    return application


@transaction.atomic
def aa_batch_create(*, applications: list[AAApplication], actor: Actor) -> AABatch:
    """HQ gathers eligible applications into the next numbered batch of the year."""
    user = person_of(actor)
    require_role(user, Role.HQ_ADMIN)
    if not applications:
        raise DomainError("empty_batch", "批次中至少要有一家企业")
    locked = list(AAApplication.objects.select_for_update().filter(pk__in=[a.pk for a in applications]))
    problems = []
    for application in locked:
        if application.status != AAStatus.SUBMITTED:
            problems.append({"id": application.pk, "code": "not_submitted"})
        elif not _recheck(application):
            problems.append(
                {
                    "id": application.pk,
                    "code": "not_eligible",
                    "failed": [c["code"] for c in application.conditions if not c["holds"]],
                }
            )
    if problems:
        raise DomainError(
            "aa_not_batchable", "部分申请不能列入批次（已不在受理状态或不符合条件）", {"applications": problems}
        )
    year = clock.today().year
    sequence = (AABatch.objects.filter(year=year).aggregate(m=Max("sequence"))["m"] or 0) + 1
    batch = AABatch.objects.create(year=year, sequence=sequence, created_at=clock.now(), created_by_label=user.username)
    for application in locked:
        application.status = AAStatus.IN_BATCH
        application.batch = batch
    AAApplication.objects.bulk_update(
        locked, ["status", "batch", "conditions", "eligible", "ruleset_version", "checked_at"]
    )
    audit_log(
        actor=actor,
        action="rating.aa.batch_created",
        target=batch,
        new={"number": batch.number, "applications": [a.pk for a in locked]},
    )
    return batch


@transaction.atomic
def aa_batch_approve(*, batch: AABatch, actor: Actor, effective_from: dt.date | None = None) -> AABatch:
    """HQ approves and publishes the batch: every application still eligible becomes AA (cause aa_batch)."""
    user = person_of(actor)
    require_role(user, Role.HQ_ADMIN)
    batch = AABatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != AABatchStatus.DRAFT:
        raise Conflict("batch_decided", f"{batch.number}已审批")
    effective_from = effective_from or clock.today()
    granted, refused = [], []
    for application in batch.applications.select_related("enterprise").order_by("pk"):
        if _recheck(application):
            grade_change_apply(
                enterprise=application.enterprise,
                grade="AA",
                cause=GradeCause.AA_BATCH,
                effective_from=effective_from,
                actor=actor,
                ruleset_version=application.ruleset_version,
                reason=f"总局{batch.number}AA级企业",
                source=("rating.aabatch", batch.pk),
            )
            application.status = AAStatus.APPROVED
            granted.append(application.enterprise.credit_code)
        else:
            application.status = AAStatus.REJECTED
            refused.append(application.enterprise.credit_code)
        application.save(update_fields=["status", "conditions", "eligible", "ruleset_version", "checked_at"])
    batch.status = AABatchStatus.APPROVED
    batch.approved_at = clock.now()
    batch.approved_by = user
    batch.effective_from = effective_from
    batch.save(update_fields=["status", "approved_at", "approved_by", "effective_from"])
    audit_log(
        actor=actor,
        action="rating.aa.batch_approved",
        target=batch,
        new={
            "number": batch.number,
            "granted": granted,
            "refused": refused,
            "effective_from": effective_from.isoformat(),
        },
    )
    return batch


# ---- the enterprise's own online application (it feeds aa_apply; it never grants AA) ----


def aa_request_conditions(
    enterprise: Enterprise, *, clean_years_ok: bool, other_regulators_clean_months: int
) -> tuple[list[Condition], int]:
    """The AA conditions as the enterprise's application page shows them: the platform's facts, and the two facts
    only people can attest as the enterprise states them."""
    if other_regulators_clean_months < 0:
        raise DomainError("bad_count", "月数不能为负数", {"field": "other_regulators_clean_months"}, status=422)
    return aa_check(
        enterprise, clean_years_ok=clean_years_ok, other_regulators_clean_months=other_regulators_clean_months
    )


def aa_open_application(enterprise: Enterprise) -> AARequest | AAApplication | None:
    """The enterprise's AA application still in progress: its online request waiting for the bureau, or the
    application the bureau lodged, waiting for or in HQ's batch. While there is one, no other may be submitted."""
    waiting = AARequest.objects.filter(enterprise=enterprise, status=AARequestStatus.SUBMITTED).first()
    if waiting is not None:
        return waiting
    return AAApplication.objects.filter(
        enterprise=enterprise, status__in=[AAStatus.SUBMITTED, AAStatus.IN_BATCH]
    ).first()


@transaction.atomic
def aa_request_submit(
    *,
    enterprise: Enterprise,
    clean_years_ok: bool,
    other_regulators_clean_months: int,
    statement: str = "",
    actor: Actor,
) -> AARequest:
    """An enterprise user applies online for AA. Refused while an application is open, or when a condition does
    not hold (the answer lists which)."""
    user = person_of(actor)
    if not user.is_enterprise_user or user.enterprise_id != enterprise.pk:
        raise NotFound("企业")
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    if aa_open_application(enterprise) is not None:
        raise Conflict("aa_application_open", "已有在办的AA级申请")
    conditions, number = aa_request_conditions(
        enterprise, clean_years_ok=clean_years_ok, other_regulators_clean_months=other_regulators_clean_months
    )
    failed = [c for c in conditions if not c.holds]
    if failed:
        raise DomainError(
            "not_eligible",
            "尚不符合AA级条件：" + "；".join(c.label for c in failed),
            {"failed": [c.code for c in failed]},
            status=409,
        )
    request = AARequest.objects.create(
        enterprise=enterprise,
        submitted_by=user,
        submitted_at=clock.now(),
        clean_years_ok=clean_years_ok,
        other_regulators_clean_months=other_regulators_clean_months,
        statement=(statement or "").strip()[:2000],
        conditions=_snapshot(conditions),
        ruleset_version=number,
    )
    audit_log(
        actor=actor,
        action="rating.aa_request.submitted",
        target=request,
        organization_id=enterprise.registering_org_id,
        new={"credit_code": enterprise.credit_code, "conditions": request.conditions},
    )
    return request


def _lock_request(request: AARequest, actor: Actor) -> AARequest:
    user = person_of(actor)
    locked = AARequest.objects.select_for_update().select_related("enterprise__registering_org").get(pk=request.pk)
    if user.is_enterprise_user or user.is_system or not locked.enterprise.registering_org.is_within(user.organization):
        raise NotFound("AA级在线申请")
    require_role(user, Role.BUREAU_CREDIT)
    if locked.status != AARequestStatus.SUBMITTED:
        raise Conflict("aa_request_reviewed", f"该申请已{locked.get_status_display()}")
    return locked


@transaction.atomic
def aa_request_accept(
    *, request: AARequest, clean_years_ok: bool, other_regulators_clean_months: int, actor: Actor
) -> AARequest:
    """The bureau verifies the stated facts (as it finds them) and lodges the AA application (`aa_apply`)."""
    request = _lock_request(request, actor)
    application = aa_apply(
        enterprise=request.enterprise,
        clean_years_ok=clean_years_ok,
        other_regulators_clean_months=other_regulators_clean_months,
        notes=f"企业在线申请{('：' + request.statement) if request.statement else ''}",
        actor=actor,
    )
    request.status, request.application = AARequestStatus.ACCEPTED, application
    request.reviewed_by, request.reviewed_at = actor.user, clock.now()
    request.save(update_fields=["status", "application", "reviewed_by", "reviewed_at"])
    audit_log(
        actor=actor,
        action="rating.aa_request.accepted",
        target=request,
        organization_id=request.enterprise.registering_org_id,
        old={"status": AARequestStatus.SUBMITTED},
        new={"status": request.status, "eligible": application.eligible},
    )
    return request


@transaction.atomic
def aa_request_reject(*, request: AARequest, reason: str, actor: Actor) -> AARequest:
    request = _lock_request(request, actor)
    text = (reason or "").strip()
    if not text:
        raise DomainError("required", "请填写不予受理的理由", {"field": "reason"}, status=422)
    request.status, request.decision_reason = AARequestStatus.REJECTED, text
    request.reviewed_by, request.reviewed_at = actor.user, clock.now()
    request.save(update_fields=["status", "decision_reason", "reviewed_by", "reviewed_at"])
    audit_log(
        actor=actor,
        action="rating.aa_request.rejected",
        target=request,
        organization_id=request.enterprise.registering_org_id,
        old={"status": AARequestStatus.SUBMITTED},
        new={"status": request.status, "reason": text},
    )
    return request
