"""Applying and reading grades. The only way a grade changes is `grade_change_apply`."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import DomainError
from ciqcredit.rating.feed import feed_append_change
from ciqcredit.rating.models import CurrentGrade, GradeCause, GradeChange
from ciqcredit.rules.params import GRADES_DESC


@dataclass(frozen=True)
class GradeOn:
    grade: str | None
    effective_from: dt.date | None
    cause: str | None
    ruleset_version: int | None
    controlled: bool
    change_id: int | None

    @property
    def cause_label(self) -> str:
        return GradeCause(self.cause).label if self.cause else ""


NO_GRADE = GradeOn(None, None, None, None, False, None)


def grade_on(enterprise: Enterprise, on: dt.date) -> GradeOn:
    """The grade in force on a date: the latest change effective on or before it (ties: last recorded)."""
    change = (
        GradeChange.objects.filter(enterprise=enterprise, effective_from__lte=on)
        .order_by("-effective_from", "-id")
        .first()
    )
    if change is None:
        return NO_GRADE
    return GradeOn(
        change.grade, change.effective_from, change.cause, change.ruleset_version, change.controlled, change.id
    )


@transaction.atomic
def grade_change_apply(
    *,
    enterprise: Enterprise,
    grade: str,
    cause: str,
    effective_from: dt.date,
    actor: Actor,
    controlled: bool = False,
    ruleset_version: int | None = None,
    reason: str = "",
    source: tuple[str, str | int] | None = None,
    notice_number: str = "",
) -> GradeChange:
    """Record a grade change, move the current grade when the change is the latest, and audit it."""
    if grade not in GRADES_DESC:
        raise DomainError("unknown_grade", f"未知的信用等级“{grade}”", {"field": "grade"})
    if cause not in GradeCause.values:
        raise DomainError("unknown_grade_cause", f"未知的等级变更原因“{cause}”", {"field": "cause"})
    # Lock the enterprise so two changes of one enterprise never interleave.
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    previous = grade_on(enterprise, effective_from)
    change = GradeChange.objects.create(
        enterprise=enterprise,
        grade=grade,
        previous_grade=previous.grade or "",
        controlled=controlled,
        cause=cause,
        effective_from=effective_from,
        ruleset_version=ruleset_version,
        decided_by=actor.user,
        decided_by_label=actor.label,
        reason=reason,
        source_type=source[0] if source else "",
        source_id=str(source[1]) if source else "",
        notice_number=notice_number,
        recorded_at=clock.now(),
    )
    current = CurrentGrade.objects.filter(enterprise=enterprise).first()
    if current is None or (effective_from, change.id) >= (current.effective_from, current.change_id):
        CurrentGrade.objects.update_or_create(
            enterprise=enterprise,
            defaults={
                "grade": grade,
                "controlled": controlled,
                "effective_from": effective_from,
                "cause": cause,
                "ruleset_version": ruleset_version,
                "change": change,
            },
        )
    audit_log(
        actor=actor,
        action="rating.grade.changed",
        target=enterprise,
        organization_id=enterprise.registering_org_id,
        old={"grade": previous.grade, "controlled": previous.controlled},
        new={
            "grade": grade,
            "controlled": controlled,
            "cause": cause,
            "effective_from": effective_from.isoformat(),
            "ruleset_version": ruleset_version,
            "reason": reason,
        },
    )
    # A key enterprise's change lands in its upgrade/downgrade file (and a downgrade calls for an interview).
    from ciqcredit.rating.services.keyfiles import key_files_record_grade_change

    key_files_record_grade_change(change=change, actor=actor)
    # Last: the feed's lock is then held only until this transaction commits.
    feed_append_change(change=change, credit_code=enterprise.credit_code, previous_controlled=previous.controlled)
    return change
