"""Execution reports from e-CIQ (执行情况): the API batch and the back-fill command share `executions_receive`.

Idempotent by decision: a report for a decision already reported is compared field by field; the same
values are `unchanged`, different ones an update with an audit row (old and new values). A report is
refused alone, with a stable code, when its decision is unknown or outside the client's organization,
when it was executed before the decision's business date, or when it names an organization outside the
client's scope; the rest of the batch is kept. Validated items are written in one transaction.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import transaction
from pydantic import BaseModel, Field, ValidationError

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.api_common import validation_messages
from ciqcredit.application.models import Decision
from ciqcredit.audit.services import audit_log_many
from ciqcredit.errors import DomainError, Forbidden
from ciqcredit.organizations.access import require_scope
from ciqcredit.organizations.models import Organization
from ciqcredit.organizations.roles import Scope
from ciqcredit.tracking.models import Execution

MAX_BATCH = 5000
TRACKED_FIELDS = (
    "eciq_id",
    "executed_on",
    "organization_id",
    "inspected",
    "document_review",
    "priority_given",
    "outcome",
)

REJECTIONS = {
    "validation_error": "数据格式不正确",
    "unknown_decision": "放行决定不存在或不在本接口的管辖范围内",
    "before_decision": "执行日期早于放行决定的业务日期",
    "org_out_of_scope": "执行机构不存在或不在本接口的管辖范围内",
}


class ExecutionIn(BaseModel):
    decision_id: int = Field(ge=1, description="放行决定编号")
    eciq_id: str = Field(min_length=1, max_length=40, description="e-CIQ 中的执行记录编号")
    executed_on: dt.date = Field(description="执行日期")
    org_code: str = Field(min_length=1, max_length=6, description="执行机构代码")
    inspected: bool = Field(description="是否实施了查验")
    document_review: Literal["waived", "simplified", "standard", "full"] = Field(description="实际审单方式")
    priority_given: bool = Field(description="是否优先办理")
    outcome: Literal["released", "passed", "failed", "returned"] = Field(description="放行/查验合格/不合格/退单")


@dataclass
class ItemResult:
    index: int
    status: str  # created | updated | unchanged | rejected
    decision_id: int | None = None
    code: str | None = None
    message: str | None = None
    errors: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, [])} | {"ok": self.status != "rejected"}


@dataclass
class ReceiveResult:
    items: list[ItemResult]

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.count("created"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
            "rejected": self.count("rejected"),
            "items": [i.as_dict() for i in self.items],
        }


def _snapshot(e: Execution) -> dict[str, Any]:
    return {f: getattr(e, f) for f in TRACKED_FIELDS}


def _audited(updated: list[tuple[Execution, dict, dict]]) -> list[tuple[Execution, dict, dict]]:
    """The audit's old and new values name the executing organization by its code, as people know it."""
    ids = {d["organization_id"] for _, old, new in updated for d in (old, new) if "organization_id" in d}
    codes = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "code")) if ids else {}

    def named(values: dict) -> dict:
        if "organization_id" not in values:
            return values
        rest = {k: v for k, v in values.items() if k != "organization_id"}
        return {**rest, "organization": codes[values["organization_id"]]}

    return [(e, named(old), named(new)) for e, old, new in updated]


def executions_receive(*, items: list[Any], actor: Actor) -> ReceiveResult:
    client = actor.user
    if client is None:
        raise Forbidden("须使用接口账号调用")
    require_scope(client, Scope.ECIQ_INTAKE)
    if len(items) > MAX_BATCH:
        raise DomainError("batch_too_large", f"每批最多 {MAX_BATCH} 条，请分批提交", {"max": MAX_BATCH}, status=413)
    results = [ItemResult(index=i, status="rejected") for i in range(len(items))]
    parsed: list[tuple[int, ExecutionIn]] = []
    for i, raw in enumerate(items):
        try:
            parsed.append((i, ExecutionIn.model_validate(raw)))
        except ValidationError as exc:
            results[i].code, results[i].message = "validation_error", REJECTIONS["validation_error"]
            results[i].errors = validation_messages(exc.errors())
    scope_path = client.organization.path
    ids = {p.decision_id for _, p in parsed}
    decisions = {
        pk: on
        for pk, on in Decision.objects.filter(pk__in=ids, organization__path__startswith=scope_path).values_list(
            "pk", "on"
        )
    }
    orgs = dict(
        Organization.objects.filter(code__in={p.org_code for _, p in parsed}, path__startswith=scope_path).values_list(
            "code", "pk"
        )
    )
    existing = {e.pk: e for e in Execution.objects.filter(pk__in=ids)}
    now = clock.now()
    created: dict[int, Execution] = {}
    updated: list[tuple[Execution, dict, dict]] = []
    for i, p in parsed:
        r = results[i]
        r.decision_id = p.decision_id
        if p.decision_id not in decisions:
            r.code = "unknown_decision"
        elif p.executed_on < decisions[p.decision_id]:
            r.code = "before_decision"
        elif p.org_code not in orgs:
            r.code = "org_out_of_scope"
        if r.code:
            r.message = REJECTIONS[r.code]
            continue
        values = {
            "eciq_id": p.eciq_id.strip(),
            "executed_on": p.executed_on,
            "organization_id": orgs[p.org_code],
            "inspected": p.inspected,
            "document_review": p.document_review,
            "priority_given": p.priority_given,
            "outcome": p.outcome,
        }
        current = existing.get(p.decision_id) or created.get(p.decision_id)
        if current is None:
            created[p.decision_id] = Execution(
                decision_id=p.decision_id, client=client, received_at=now, updated_at=now, **values
            )
            r.status = "created"
            continue
        old = _snapshot(current)
        if old == values:
            r.status = "unchanged"
            continue
        for name, value in values.items():
            setattr(current, name, value)
        current.updated_at = now
        if current.pk in existing:
            updated.append(
                (
                    current,
                    {k: v for k, v in old.items() if values[k] != v},
                    {k: v for k, v in values.items() if old[k] != v},
                )
            )
        r.status = "updated"
    with transaction.atomic():
        Execution.objects.bulk_create(list(created.values()), batch_size=2000)
        if updated:
            Execution.objects.bulk_update([e for e, _, _ in updated], [*TRACKED_FIELDS, "updated_at"], batch_size=2000)
            audit_log_many(actor=actor, action="tracking.execution.updated", changes=_audited(updated))
    return ReceiveResult(results)
