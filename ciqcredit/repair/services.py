"""Credit repair services: the enterprise applies online; the responsible office accepts or rejects.

Accepting starts BRIEF.md's removal procedure on the listing case (`dynamic.removal.removal_apply`: the observation
period runs from the acceptance); the removal itself, or its refusal, is then decided there
(`removal_decide`/`removal_refuse`), and the online application reads its outcome from that removal.
"""

from typing import Any

from django.core.files import File
from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.dynamic.removal import removal_apply
from ciqcredit.dynamic.workflow import require_case_handler, ruleset_required
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import Conflict, DomainError, NotFound
from ciqcredit.files import file_attach
from ciqcredit.organizations.access import person_of
from ciqcredit.repair.models import RepairApplication, RepairStatus
from ciqcredit.repair.selectors import repair_standing
from ciqcredit.rules.repair import repair_window
from ciqcredit.workdays.calendar import current_calendar

MAX_TEXT = 5000


def _state(application: RepairApplication) -> dict[str, Any]:
    return {
        "status": application.status,
        "case": application.case_id,
        "next_allowed_on": application.next_allowed_on.isoformat() if application.next_allowed_on else None,
    }


def _text(value: str, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError("required", message, {"field": field}, status=422)
    if len(text) > MAX_TEXT:
        raise DomainError("too_long", f"内容不能超过{MAX_TEXT}字", {"field": field}, status=422)
    return text


@transaction.atomic
def repair_apply(
    *, enterprise: Enterprise, rectification: str, evidence: File | None = None, actor: Actor
) -> RepairApplication:
    """An enterprise user applies for credit repair of its own enterprise's listing, once the rule set allows."""
    user = person_of(actor)
    if not user.is_enterprise_user or user.enterprise_id != enterprise.pk:
        raise NotFound("企业")
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    text = _text(rectification, "rectification", "请填写整改情况")
    standing = repair_standing(enterprise)
    if standing.case is None or standing.window is None:
        raise DomainError("not_listed", "贵单位未被列入严重失信企业名单，无需申请信用修复", status=409)
    if standing.waiting is not None:
        raise Conflict("repair_pending", "已有待受理的信用修复申请，请等待受理机构审核")
    if standing.observing is not None:
        raise Conflict(
            "removal_pending",
            f"信用修复申请已受理，观察期至{standing.observing.clean_until:%Y-%m-%d}",
            {"clean_until": standing.observing.clean_until.isoformat()},
        )
    window = standing.window
    if not window.open_on(standing.today):
        raise DomainError(
            "too_early",
            f"尚不能申请信用修复：须{window.reasons[0]}，{window.earliest:%Y-%m-%d}起方可申请",
            {"next_allowed_on": window.earliest.isoformat(), "reasons": list(window.reasons)},
            status=409,
        )
    case = standing.case
    review = ruleset_required(standing.today).rule_params.repair.review
    application = RepairApplication(
        enterprise=enterprise,
        case=case,
        organization=case.organization,
        rectification=text,
        submitted_at=clock.now(),
        submitted_by=user,
        review_due=current_calendar().add_days(standing.today, review.days, review.unit).date,
    )
    if evidence is not None:
        file_attach(application.evidence, f"case{case.pk}-{getattr(evidence, 'name', 'evidence')}", evidence)
    application.save()
    audit_log(
        actor=actor,
        action="repair.application.submitted",
        target=application,
        organization_id=case.organization_id,
        new={**_state(application), "review_due": application.review_due.isoformat()},
    )
    return application


def _lock(application: RepairApplication, actor: Actor) -> RepairApplication:
    locked = RepairApplication.objects.select_for_update().select_related("case__organization").get(pk=application.pk)
    require_case_handler(actor, locked.case)
    if locked.status != RepairStatus.SUBMITTED:
        raise Conflict("repair_reviewed", f"该申请已{locked.get_status_display()}", {"status": locked.status})
    return locked


@transaction.atomic
def repair_accept(*, application: RepairApplication, actor: Actor) -> RepairApplication:
    """The office accepts: the removal procedure starts today on the listing case (observation period)."""
    application = _lock(application, actor)
    old = _state(application)
    removal = removal_apply(
        case=application.case, rectification=application.rectification, accepted_on=clock.today(), actor=actor
    )
    application.status, application.removal = RepairStatus.ACCEPTED, removal
    application.reviewed_on, application.reviewed_by = clock.today(), actor.user
    application.save(update_fields=["status", "removal", "reviewed_on", "reviewed_by"])
    audit_log(
        actor=actor,
        action="repair.application.accepted",
        target=application,
        organization_id=application.organization_id,
        old=old,
        new={**_state(application), "clean_until": removal.clean_until.isoformat()},
    )
    return application


@transaction.atomic
def repair_reject(*, application: RepairApplication, reason: str, actor: Actor) -> RepairApplication:
    """The office rejects the application with its reason; the answer says when the next one may be made."""
    application = _lock(application, actor)
    text = _text(reason, "reason", "请填写不予受理的理由")
    today = clock.today()
    standing = repair_standing(application.enterprise, today)
    old = _state(application)
    window = repair_window(
        ruleset_required(today).rule_params,
        listed_on=application.case.carried_out_on or today,
        last_record_on=None,
        last_refusal_on=today,
    )
    earliest = max(window.earliest, standing.window.earliest) if standing.window else window.earliest
    application.status, application.decision_reason, application.next_allowed_on = RepairStatus.REJECTED, text, earliest
    application.reviewed_on, application.reviewed_by = today, actor.user
    application.save(update_fields=["status", "decision_reason", "next_allowed_on", "reviewed_on", "reviewed_by"])
    audit_log(
        actor=actor,
        action="repair.application.rejected",
        target=application,
        organization_id=application.organization_id,
        old=old,
        new={**_state(application), "reason": text},
    )
    return application
