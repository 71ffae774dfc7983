"""What the portal reads about the enterprise of its user: only that enterprise, never staff names, internal
identifiers or results not yet confirmed. Each function takes the enterprise found by `access.enterprise_of`;
the pages and the `me` API render the same dictionaries.
"""

import datetime as dt
from typing import Any

from ciqcredit import clock
from ciqcredit.application.measures import enterprise_measures
from ciqcredit.collection.choices import RecordStatus
from ciqcredit.collection.models import CreditRecord, Objection
from ciqcredit.collection.objections import objection_window
from ciqcredit.collection.selectors import PUBLIC_STATUSES
from ciqcredit.dynamic.defence import defence_right
from ciqcredit.dynamic.models import CaseStatus, DynamicCase, Notice
from ciqcredit.dynamic.selectors import case_steps, enterprise_cases, enterprise_notices
from ciqcredit.dynamic.workflow import STEP_ANSWER, STEP_DEFENCE
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import DomainError, NotFound
from ciqcredit.rating.explain import grade_explanation
from ciqcredit.rating.models import GradeCause
from ciqcredit.rating.selectors import grade_history
from ciqcredit.rating.services.grades import grade_on
from ciqcredit.workdays.calendar import due_soon

RECORD_LIMIT = 500


def grade_in_force(enterprise: Enterprise) -> dict[str, Any]:
    """The grade in force today (confirmed: a result waiting for confirmation is not a grade yet)."""
    current = grade_on(enterprise, clock.today())
    return {
        "grade": current.grade,
        "effective_from": current.effective_from,
        "cause_label": GradeCause(current.cause).label if current.cause else "",
        "ruleset_version": current.ruleset_version,
    }


def enterprise_summary(enterprise: Enterprise) -> dict[str, Any]:
    """The enterprise as it sees itself, with its grade in force (`GET /api/v1/me`, the portal's home)."""
    return {
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "ciq_registration_no": enterprise.ciq_registration_no,
        "address": enterprise.address,
        "type_labels": list(enterprise.type_labels),
        "registering_organization": enterprise.registering_org.name,
        "status_label": enterprise.get_status_display(),
        "grade": grade_in_force(enterprise),
    }


def grade_history_rows(enterprise: Enterprise) -> list[dict[str, Any]]:
    """Every grade change, newest first: grade, from when, why (no decider's name)."""
    return [
        {
            "grade": c.grade,
            "previous_grade": c.previous_grade,
            "effective_from": c.effective_from,
            "cause_label": GradeCause(c.cause).label,
            "ruleset_version": c.ruleset_version,
            "notice_number": c.notice_number,
        }
        for c in grade_history(enterprise)
        if c.effective_from <= clock.today()
    ]


def explanation(enterprise: Enterprise) -> dict[str, Any]:
    """Why the grade in force is what it is: rating's explanation, stripped of staff names, internal ids and of
    records the enterprise does not see (drafts, records waiting for review)."""
    full = grade_explanation(enterprise)
    visible = {s.value for s in PUBLIC_STATUSES}
    records = [
        {
            "item_code": r["item_code"],
            "item_name": r["item_name"],
            "occurred_on": r["occurred_on"],
            "association_no": r["association_no"],
            "points": r["points"],
            "counted": r["counted"],
            "reason_label": r["reason_label"],
            "status_label": RecordStatus(r["status"]).label,
        }
        for r in full["records"]
        if r["status"] in visible
    ]
    return {
        "grade": full["grade"],
        "effective_from": full["effective_from"],
        "cause_label": full["cause_label"] or "",
        "ruleset_version": full["ruleset_version"],
        "period": full["period"],
        "points": full["points"] if full["grade"] else None,
        "points_now": sum(r["points"] for r in records if r["counted"]),
        "rule_label": full["rule_label"] or "",
        "detail": full["detail"] or "",
        "thresholds": full["thresholds"],
        "records": records,
    }


def _objection_state(record: CreditRecord, objections: list[Objection], today: dt.date) -> dict[str, Any]:
    window = objection_window(record)
    pending = any(o.status == "pending" for o in objections)
    return {
        "objection_until": window[1] if window else None,
        "may_object": bool(window and today <= window[1] and not pending),
        "objection_pending": pending,
    }


def my_records(enterprise: Enterprise) -> list[dict[str, Any]]:
    """The enterprise's records it may see (effective, and those that stopped counting), with whether and until
    when it may object."""
    rows = list(
        CreditRecord.objects.filter(enterprise=enterprise, status__in=PUBLIC_STATUSES)
        .select_related("item", "organization")
        .order_by("-occurred_on", "-id")[:RECORD_LIMIT]
    )
    return _record_rows(rows)


def my_record_row(record: CreditRecord) -> dict[str, Any]:
    """One record as `my_records` shows it (the record comes from `my_record_get`, so it is the enterprise's)."""
    return _record_rows([record])[0]


def _record_rows(rows: list[CreditRecord]) -> list[dict[str, Any]]:
    objections: dict[int, list[Objection]] = {}
    for o in Objection.objects.filter(record__in=rows).order_by("filed_at"):
        objections.setdefault(o.record_id, []).append(o)
    today = clock.today()
    return [
        {
            "id": r.pk,
            "item_code": r.item_code,
            "item_name": r.item.name,
            "points": r.points,
            "occurred_on": r.occurred_on,
            "association_no": r.association_no,
            "organization": r.organization.name,
            "description": r.description,
            "status": r.status,
            "status_label": r.get_status_display(),
            **_objection_state(r, objections.get(r.pk, []), today),
        }
        for r in rows
    ]


def my_record_get(enterprise: Enterprise, record_id: int) -> CreditRecord:
    record = (
        CreditRecord.objects.filter(enterprise=enterprise, status__in=PUBLIC_STATUSES, pk=record_id)
        .select_related("item", "organization")
        .first()
    )
    if record is None:
        raise NotFound("信用信息")
    return record


def objection_row(o: Objection) -> dict[str, Any]:
    return {
        "id": o.pk,
        "record_association_no": o.record.association_no,
        "record_item_name": o.record.item.name,
        "reasons": o.reasons,
        "filed_on": o.filed_on,
        "due_on": o.due_on,
        "status": o.status,
        "status_label": o.get_status_display(),
        "outcome_label": o.get_outcome_display() if o.outcome else "",
        "answer": o.answer,
        "decided_on": o.decided_on,
        "files": [f.name for f in o.files.all()],
    }


def my_objections(enterprise: Enterprise) -> list[dict[str, Any]]:
    rows = (
        Objection.objects.filter(enterprise=enterprise)
        .select_related("record__item")
        .prefetch_related("files")
        .order_by("-filed_at", "-id")
    )
    return [objection_row(o) for o in rows]


def measures(enterprise: Enterprise) -> dict[str, Any] | None:
    """The measures in force for the enterprise's grade today (application's published list); None when no list
    is in force."""
    try:
        found = enterprise_measures(enterprise, clock.today())
    except DomainError as exc:
        if exc.code == "no_measure_list":
            return None
        raise
    return {
        "grade": found.state.grade,
        "measure_list_version": found.measure_list_version,
        "areas": [
            {
                "label": a.label,
                "measures": [{"title": m.title, "description": m.description} for m in a.measures],
                "sampling_percent": a.sampling_percent,
                "document_review_label": a.document_review_label,
                "priority": a.priority,
                "green_channel": a.green_channel,
                "paperless": a.paperless,
                "onsite_checks_per_year": a.onsite_checks_per_year,
            }
            for a in found.areas
        ],
    }


def notice_row(n: Notice) -> dict[str, Any]:
    return {
        "number": n.number,
        "title": n.content.get("title", "企业信用管理书面告知书"),
        "kind_label": n.content.get("kind_label", ""),
        "issuer": n.organization.name,
        "drafted_on": n.content.get("drafted_on"),
        "intended_action": n.content.get("intended_action", ""),
        "sent_to_account_at": n.sent_to_account_at,
        "electronic_due_on": n.electronic_due_on,
        "opened": n.opened_at is not None,
        "delivered": n.delivered,
        "delivered_on": n.delivered_on,
        "delivery_method_label": n.get_delivery_method_display() if n.delivery_method else "",
        "voided": n.voided,
        "replaced_by": n.replaced_by.number if n.replaced_by_id and n.replaced_by else "",
        "case_id": n.case_id,
    }


def my_notices(enterprise: Enterprise) -> list[dict[str, Any]]:
    return [notice_row(n) for n in enterprise_notices(enterprise.pk)]


def notice_view(notice: Notice) -> dict[str, Any]:
    """A notice as the enterprise reads it: what it states (the snapshot), and its delivery."""
    content = notice.content
    return {
        **notice_row(notice),
        "enterprise": content.get("enterprise", {}),
        "period": content.get("period", {}),
        "records": [
            {k: r.get(k) for k in ("item_code", "item_name", "legal_basis", "occurred_on", "association_no", "points")}
            for r in content.get("records", [])
        ],
        "total_points": content.get("total_points"),
        "rule_text": content.get("rule_text", ""),
        "threshold": content.get("threshold"),
        "ruleset_version": content.get("ruleset_version"),
        "defence": content.get("defence"),
    }


def _step_due(case: DynamicCase, step: str) -> dt.date | None:
    found = [s for s in case_steps(case) if s.step == step]
    return found[-1].due_on if found else None


def case_row(case: DynamicCase) -> dict[str, Any]:
    """A case as its enterprise sees it: what, its state, its deadlines and whether it may defend itself now."""
    today = clock.today()
    notice = case.notice
    right = defence_right(case)
    defence_due = _step_due(case, STEP_DEFENCE)
    open_steps = [
        {"label": s.label, "due_on": s.due_on, "soon": due_soon(s.due_on, today), "overdue": s.overdue}
        for s in case_steps(case)
        if s.is_open and not s.earliest and s.step in (STEP_DEFENCE, STEP_ANSWER)
    ]
    return {
        "id": case.pk,
        "kind_label": case.get_kind_display(),
        "status": case.status,
        "status_label": case.get_status_display(),
        "detail": case.detail,
        "points": case.points,
        "ruleset_version": case.ruleset_version,
        "opened_on": case.opened_at.date(),
        "notice_number": notice.number if notice is not None else "",
        "defence_right": right is not None,
        "defence_due_on": defence_due if right is not None else None,
        "may_defend": right is not None
        and case.status == CaseStatus.DEFENCE_PERIOD
        and (defence_due is None or today <= defence_due),
        "defence_late": right is not None
        and case.status == CaseStatus.DEFENCE_PERIOD
        and defence_due is not None
        and today > defence_due,
        "defence": {
            "received_on": case.defence_received_on,
            "statement": case.defence_text,
            "online": case.defence_online,
            "files": [f.name for f in case.defence_evidence.all()],
            "answered_on": case.answered_on,
            "answer": case.answer_text,
        }
        if case.defence_received_on
        else None,
        "deadlines": open_steps,
        "cancel_reason": case.cancel_reason if case.status == CaseStatus.CANCELLED else "",
    }


def my_cases(enterprise: Enterprise) -> list[dict[str, Any]]:
    return [case_row(c) for c in enterprise_cases(enterprise.pk)]


def my_todos(enterprise: Enterprise) -> list[dict[str, Any]]:
    """What needs the enterprise's attention: notices to read, defences it may still file (and their
    deadlines), answers to its objections and defences, deadlines within three working days."""
    today = clock.today()
    todos: list[dict[str, Any]] = []
    for n in enterprise_notices(enterprise.pk).filter(opened_at__isnull=True, voided_at__isnull=True):
        todos.append({"kind": "notice", "text": f"书面告知书{n.number}待查阅", "number": n.number, "soon": False})
    for case in enterprise_cases(enterprise.pk).filter(status=CaseStatus.DEFENCE_PERIOD):
        row = case_row(case)
        if row["may_defend"]:
            due = row["defence_due_on"]
            todos.append(
                {
                    "kind": "defence",
                    "text": f"{row['kind_label']}：可于{due:%Y年%-m月%-d日}前提交陈述申辩" if due else "可提交陈述申辩",
                    "case_id": case.pk,
                    "soon": due_soon(due, today),
                }
            )
    recent = today - dt.timedelta(days=30)
    for o in Objection.objects.filter(enterprise=enterprise, decided_on__gte=recent).select_related("record"):
        todos.append(
            {
                "kind": "objection",
                "text": f"对信用信息{o.record.association_no}的异议已复核：{o.get_status_display()}",
                "soon": False,
            }
        )
    for case in enterprise_cases(enterprise.pk).filter(answered_on__gte=recent):
        todos.append(
            {"kind": "answer", "text": f"{case.get_kind_display()}的陈述申辩已答复", "case_id": case.pk, "soon": False}
        )
    return todos
