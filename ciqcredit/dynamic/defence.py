"""The enterprise's own defence (陈述申辩 online, issue 13 item 3).

Only where the case's delivered notice states the right to a defence (`content["defence"]`, the rule set's
procedure: the serious-list procedure) and only within its period: a late statement is refused with the
deadline. The statement is accepted as received on the day it is submitted; the responsible office then answers
within the rule set's period (`case_answer_defence`), and sees it in its to-dos (`receivers.defences_section`).
"""

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.dynamic.models import CaseStatus, DefenceEvidence, DynamicCase, Notice
from ciqcredit.dynamic.procedure import defence_accept, defence_window_check
from ciqcredit.dynamic.workflow import lock_case
from ciqcredit.errors import Conflict, DomainError, NotFound
from ciqcredit.files import evidence_name, file_attach
from ciqcredit.mail import mail_after_commit
from ciqcredit.organizations.access import person_of
from ciqcredit.organizations.people import staff_addresses
from ciqcredit.organizations.roles import Role

MAX_FILES = 10
MAX_STATEMENT = 10_000


def defence_right(case: DynamicCase) -> dict[str, Any] | None:
    """The defence the case's delivered notice offers (days, unit, text), or None."""
    notice = Notice.objects.filter(case=case, voided_at__isnull=True, delivered_on__isnull=False).first()
    if notice is None:
        return None
    return notice.content.get("defence")


def case_defence_submit(*, case: DynamicCase, statement: str, files: Sequence[Any] = (), actor: Actor) -> DynamicCase:
    """A user of the case's enterprise submits its statement and evidence (others: 404)."""
    user = person_of(actor)
    if not user.is_enterprise_user or case.enterprise_id != user.enterprise_id:
        raise NotFound("案件")
    text = (statement or "").strip()
    if not text:
        raise DomainError("required", "请填写陈述申辩意见", {"field": "statement"}, status=422)
    if len(text) > MAX_STATEMENT:
        raise DomainError("too_long", f"陈述申辩意见不能超过{MAX_STATEMENT}字", {"field": "statement"}, status=422)
    if len(files) > MAX_FILES:
        raise DomainError("too_many_files", f"证据文件最多{MAX_FILES}个", {"field": "files"}, status=422)
    names = [evidence_name(f, field="files") for f in files]
    today = clock.today()
    with transaction.atomic():
        case = lock_case(case)
        if defence_right(case) is None:
            raise Conflict("no_defence_right", "本案的书面告知书未给予陈述申辩的权利，不能在线提交申辩", {})
        if case.status in (CaseStatus.DEFENCE_RECEIVED, CaseStatus.ANSWERED):
            raise Conflict("defence_already_submitted", "本案的陈述申辩已提交，不能重复提交", {})
        defence_window_check(case, today)
        if case.status != CaseStatus.DEFENCE_PERIOD:
            raise Conflict(
                "not_in_defence_period",
                f"案件当前为“{case.get_status_display()}”，不在陈述申辩期内",
                {"status": case.status},
            )
        defence_accept(case, received_on=today, text=text, actor=actor, reason="企业在线提交陈述申辩")
        case.defence_online, case.defence_submitted_at = True, clock.now()
        case.save(update_fields=["defence_online", "defence_submitted_at"])
        for name, upload in zip(names, files, strict=True):
            row = DefenceEvidence(case=case, name=name, uploaded_at=case.defence_submitted_at)
            file_attach(row.file, name[-150:], upload)
            row.save(force_insert=True)
        audit_log(
            actor=actor,
            action="dynamic.case.defence_submitted",
            target=case,
            organization_id=case.organization_id,
            new={"received_on": today.isoformat(), "statement": text, "files": names},
        )
        mail_after_commit(
            staff_addresses(case.organization, (Role.BUREAU_CREDIT,)),
            f"{case.enterprise.name}提交了陈述申辩",
            f"{case.enterprise.name}（{case.enterprise.credit_code}）已在线提交陈述申辩，请在规定期限内答复。",
        )
    return case
