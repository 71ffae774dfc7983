"""Records that systems send: e-CIQ nonconformities (§三(五)3) and other regulators' information (§三(五)5).

Each entry is checked by `IntakeChecker` (the one copy of the intake rules, also used by the bulk loader in
records_load.py) and written in its own savepoint: a bad entry is reported with its index, code and message and
leaves nothing behind, while the good entries of the batch are kept. The same e-CIQ id (or external
reference) twice never makes two records: the second is a duplicate, also when two batches race.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import IntegrityError, transaction
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.collection.choices import RecordStatus, Route
from ciqcredit.collection.deadlines import (
    deadline_finish,
    entry_deadline_open,
    review_deadline_open,
)
from ciqcredit.collection.effect import make_effective, record_snapshot, transition
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.numbering import association_no_next
from ciqcredit.collection.recording import act_named
from ciqcredit.collection.rules import (
    RecordFields,
    Refusal,
    collection_start,
    field_errors,
    item_refusal,
)
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import DomainError, Forbidden
from ciqcredit.organizations.access import require_scope
from ciqcredit.organizations.models import Department, Organization
from ciqcredit.organizations.roles import Level
from ciqcredit.sql import in_values

MAX_BATCH = 1000  # entries per request; larger loads go in several requests (or the bulk loader)
STAGE_DEPARTMENT = {
    "declaration": "declaration",
    "inspection": "inspection",
}  # §三(五)3: 检务 / 施检


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    credit_code: str = Field(min_length=1, max_length=18)
    item_code: str = Field(min_length=1, max_length=30)
    occurred_on: dt.date
    discovered_on: dt.date
    verified_on: dt.date
    description: str = Field("", max_length=4000)
    # §三(四): this entry is another item of an act already recorded for the enterprise, named by that act's
    # identifier or by the association number of one of its records; only the highest-scoring item counts.
    act_ref: str = Field("", max_length=60)


class EciqEntry(_Entry):
    """One e-CIQ nonconformity record (contract of issue 4)."""

    eciq_id: str = Field(min_length=1, max_length=60)
    stage: Literal["declaration", "inspection"]
    association_no: str = Field(min_length=1, max_length=40)
    org_code: str = Field(min_length=6, max_length=6)
    declarant_no: str = Field("", max_length=30)


class ExternalEntry(_Entry):
    """One record from another regulator or the public; lands at the first receiving organization and
    department when named, else at the enterprise's registering organization."""

    external_ref: str = Field(min_length=1, max_length=60)
    source: str = Field(min_length=1, max_length=100)
    org_code: str = Field("", max_length=6)
    department: str = Field("", max_length=20)


@dataclass
class Checked:
    """An entry that passed every check, with what the writer needs."""

    index: int
    key: str  # eciq_id or external_ref
    entry: _Entry
    enterprise: Enterprise
    organization: Organization
    item: Any
    department: Department | None = None
    review_department: Department | None = None
    effective_on_arrival: bool = False
    act_ref: str = ""  # the existing act the entry joins ("": an act of its own)


@dataclass
class IntakeResult:
    created: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "records": self.records,
        }


def _pydantic_refusal(exc: ValidationError) -> Refusal:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{loc}：{_PYDANTIC_MESSAGES.get(err.get('type', ''), err.get('msg', ''))}")
    first = exc.errors()[0]
    return Refusal(
        "invalid_entry",
        "数据格式不正确（" + "；".join(parts) + "）",
        ".".join(map(str, first["loc"])),
    )


_PYDANTIC_MESSAGES = {
    "missing": "缺少此字段",
    "string_too_short": "不能为空或过短",
    "string_too_long": "过长",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "literal_error": "取值不在允许范围内",
    "string_type": "应为字符串",
    "extra_forbidden": "不是约定的字段",
}


class IntakeChecker:
    """The intake rules with their lookups cached: per batch for enterprises, per process for the rest."""

    def __init__(self, *, client, system_actor: Actor, today: dt.date):
        self.client = client
        self.actor = system_actor
        self.today = today
        self.orgs = {o.code: o for o in Organization.objects.all()}
        # HQ's clients and partner regulators' clients (outside the hierarchy) send to any receiving office.
        national = client.organization.level in (Level.HQ, Level.PARTNER)
        self.client_path = "" if national else client.organization.path
        self.enterprises: dict[str, Enterprise] = {}
        self._items: dict[dt.date, dict[str, Any]] = {}
        self._by_version: dict[int | None, dict[str, Any]] = {}
        self._departments: dict[tuple[int, str], Department] = {}
        self._timeline: Any = None
        self._applies: dict[tuple[int, str], bool] = {}

    def prefetch(self, raws: Iterable[Any]) -> None:
        codes = {str(r.get("credit_code", "")).strip().upper() for r in raws if isinstance(r, Mapping)}
        codes -= set(self.enterprises)
        for chunk in _chunks(sorted(codes), 5000):
            for e in Enterprise.objects.filter(in_values(Enterprise, "credit_code", chunk)).select_related(
                "registering_org"
            ):
                self.enterprises[e.credit_code] = e

    def items_on(self, on: dt.date) -> dict[str, Any]:
        """The items of the catalogue version in force on `on`, by code (one query per version)."""
        if on not in self._items:
            from ciqcredit.catalogue.choices import Kind
            from ciqcredit.catalogue.selectors import VersionTimeline

            if self._timeline is None:
                self._timeline = VersionTimeline(Kind.CATALOGUE)
            version = self._timeline.on(on)
            key = version.pk if version is not None else None
            if key not in self._by_version:
                items = version.items.select_related("version") if version is not None else []
                self._by_version[key] = {i.code: i for i in items}
            self._items[on] = self._by_version[key]
        return self._items[on]

    def applies(self, item: Any, enterprise: Enterprise) -> bool:
        key = (item.pk, enterprise.types)
        if key not in self._applies:
            self._applies[key] = item.applies_to(enterprise.type_slugs)
        return self._applies[key]

    def department(self, org: Organization, kind: str) -> Department:
        key = (org.pk, kind)
        if key not in self._departments:
            from ciqcredit.organizations.services import department_get_or_create

            self._departments[key] = department_get_or_create(organization=org, kind=kind, actor=self.actor)
        return self._departments[key]

    def in_scope(self, org: Organization) -> bool:
        return org.path.startswith(self.client_path)

    def _common(self, index: int, entry: _Entry, route: str) -> tuple[Enterprise, Any] | Refusal:
        enterprise = self.enterprises.get(entry.credit_code.upper())
        if enterprise is None:
            return Refusal(
                "enterprise_not_registered",
                f"企业 {entry.credit_code} 尚未纳入企业名录，请先同步企业信息",
                "credit_code",
            )
        item = self.items_on(entry.occurred_on).get(entry.item_code)
        if item is None:
            return Refusal(
                "unknown_item",
                f"{entry.occurred_on:%Y-%m-%d}有效的条目中没有“{entry.item_code}”",
                "item_code",
            )
        refusal = item_refusal(
            route=route,
            item_code=item.code,
            collection=item.collection,
            association_kind=item.association_kind,
        )
        if refusal is None and not self.applies(item, enterprise):
            refusal = Refusal(
                "item_not_applicable",
                f"条目 {item.code} 不适用于该企业的类型",
                "item_code",
            )
        return refusal or (enterprise, item)

    def act(self, entry: _Entry, enterprise: Enterprise) -> str | Refusal:
        if not entry.act_ref:
            return ""
        found = act_named(enterprise.pk, entry.act_ref)
        if found is None:
            return Refusal(
                "unknown_act",
                f"企业 {enterprise.credit_code} 没有失信行为标识或业务关联号为 {entry.act_ref} 的信用信息",
                "act_ref",
            )
        return found

    def _fields(self, entry: _Entry, item, route: str, association_no: str, declarant_no: str) -> list[Refusal]:
        return field_errors(
            RecordFields(
                route=route,
                association_kind=item.association_kind,
                association_no=association_no,
                declarant_responsible=bool(declarant_no),
                declarant_required=item.declarant_required,
                declarant_no=declarant_no,
                description=entry.description,
                occurred_on=entry.occurred_on,
                discovered_on=entry.discovered_on,
                verified_on=entry.verified_on,
                today=self.today,
            )
        )

    def check_eciq(self, index: int, raw: Any) -> Checked | Refusal:
        try:
            entry = EciqEntry.model_validate(raw)
        except ValidationError as exc:
            return _pydantic_refusal(exc)
        org = self.orgs.get(entry.org_code)
        if org is None:
            return Refusal("unknown_org", f"机构代码 {entry.org_code} 不存在", "org_code")
        if not self.in_scope(org):
            return Refusal(
                "out_of_scope",
                f"机构 {entry.org_code} 不在本接口账号的管辖范围内",
                "org_code",
            )
        found = self._common(index, entry, Route.ECIQ)
        if isinstance(found, Refusal):
            return found
        enterprise, item = found
        errors = self._fields(entry, item, Route.ECIQ, entry.association_no, entry.declarant_no)
        if errors:
            return errors[0]
        act = self.act(entry, enterprise)
        if isinstance(act, Refusal):
            return act
        checked = Checked(
            index,
            entry.eciq_id,
            entry,
            enterprise,
            org,
            item,
            effective_on_arrival=item.collection == "auto",
            act_ref=act,
        )
        if not checked.effective_on_arrival:
            checked.review_department = self.department(org, STAGE_DEPARTMENT[entry.stage])
        return checked

    def check_external(self, index: int, raw: Any) -> Checked | Refusal:
        try:
            entry = ExternalEntry.model_validate(raw)
        except ValidationError as exc:
            return _pydantic_refusal(exc)
        found = self._common(index, entry, Route.EXTERNAL)
        if isinstance(found, Refusal):
            return found
        enterprise, item = found
        if entry.org_code:
            org = self.orgs.get(entry.org_code)
            if org is None:
                return Refusal("unknown_org", f"机构代码 {entry.org_code} 不存在", "org_code")
        else:
            org = enterprise.registering_org
        if not self.in_scope(org):
            return Refusal(
                "out_of_scope",
                f"接收机构 {org.code} 不在本接口账号的管辖范围内",
                "org_code",
            )
        department = None
        if entry.department:
            from ciqcredit.organizations.roles import DepartmentKind

            if entry.department not in DepartmentKind.values or not entry.org_code:
                return Refusal(
                    "unknown_department",
                    "第一接收部门应为部门类别代码，且须同时给出 org_code",
                    "department",
                )
            department = self.department(org, entry.department)
        errors = self._fields(entry, item, Route.EXTERNAL, "", "")
        if errors:
            return errors[0]
        act = self.act(entry, enterprise)
        if isinstance(act, Refusal):
            return act
        return Checked(
            index,
            entry.external_ref,
            entry,
            enterprise,
            org,
            item,
            act_ref=act,
            department=department,
        )


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def record_values(checked: Checked, *, route: str, client, now) -> dict[str, Any]:
    """The columns (by attname) of the record a checked entry makes: the one source for the per-record intake
    (`new_record`) and the bulk loader, which writes them without building model instances."""
    entry, item = checked.entry, checked.item
    values: dict[str, Any] = {
        "enterprise_id": checked.enterprise.pk,
        "item_id": item.pk,
        "item_code": item.code,
        "catalogue_version": item.version.number,
        "points": item.points,
        "serious": item.serious,
        "penalised": False,
        "enters_blacklist": item.enters_blacklist,
        "occurred_on": entry.occurred_on,
        "discovered_on": entry.discovered_on,
        "verified_on": entry.verified_on,
        "entered_at": now,
        "organization_id": checked.organization.pk,
        "department_id": checked.department.pk if checked.department is not None else None,
        "review_department_id": checked.review_department.pk if checked.review_department is not None else None,
        "route": route,
        "stage": getattr(entry, "stage", "") or (item.stage or ""),
        "description": entry.description,
        "created_by_id": client.pk if client is not None else None,
        "status": RecordStatus.DRAFT,
    }
    if isinstance(entry, EciqEntry):
        values["eciq_id"] = entry.eciq_id
        values["association_no"] = entry.association_no
        values["act_ref"] = checked.act_ref or entry.association_no
        values["declarant_no"] = entry.declarant_no
        values["declarant_responsible"] = bool(entry.declarant_no)
    elif isinstance(entry, ExternalEntry):
        values["external_ref"] = entry.external_ref
        values["details"] = {"source": entry.source}
    return values


def new_record(checked: Checked, *, route: str, client, now) -> CreditRecord:
    """The unsaved record of a checked entry, its related objects attached (no query to reach them)."""
    record = CreditRecord(**record_values(checked, route=route, client=client, now=now))
    record.enterprise, record.item, record.organization = checked.enterprise, checked.item, checked.organization
    record.department, record.review_department = checked.department, checked.review_department
    if client is not None:
        record.created_by = client
    return record


def _write(checked: Checked, route: str, who: Actor, today: dt.date) -> CreditRecord:
    record = new_record(checked, route=route, client=who.user, now=clock.now())
    if route == Route.EXTERNAL:
        record.association_no = association_no_next(prefix="W", organization=record.organization, day=today)
        record.association_generated = True
        record.act_ref = checked.act_ref or record.association_no
    record.save(force_insert=True)
    transition(record, RecordStatus.DRAFT, who, at=record.entered_at, reason="系统导入")
    deadline = entry_deadline_open(
        record=record,
        start=collection_start(record.discovered_on, record.verified_on),
        actor=who,
    )
    record.deadline, record.due_on = deadline, deadline.due_on
    record.late_days = deadline_finish(deadline=deadline, done_on=today, actor=who)
    record.save(update_fields=["deadline", "due_on", "late_days"])
    audit_log(
        actor=who,
        action=f"collection.record.received_{route}",
        target=record,
        new=record_snapshot(record),
        organization_id=record.organization_id,
    )
    if checked.effective_on_arrival:
        make_effective(record, who, reason="e-CIQ 自动采集，无需人工判定")
    else:
        record.submitted_at = clock.now()
        record.review_deadline = review_deadline_open(record=record, start=today, actor=who)
        record.save(update_fields=["submitted_at", "review_deadline"])
        transition(record, RecordStatus.AWAITING_CONFIRMATION, who)
    return record


def _intake(*, entries: list[Any], actor: Actor, route: str, scope: str, key_field: str) -> IntakeResult:
    client = actor.user
    if client is None:
        raise Forbidden("须使用接口账号调用")
    require_scope(client, scope)
    if len(entries) > MAX_BATCH:
        raise DomainError(
            "batch_too_large",
            f"每批最多 {MAX_BATCH} 条，请分批提交",
            {"max": MAX_BATCH},
            status=413,
        )
    today = clock.today()
    checker = IntakeChecker(client=client, system_actor=actor, today=today)
    checker.prefetch(entries)
    keys = [str(e.get(key_field, "")).strip() for e in entries if isinstance(e, Mapping)]
    lookup = "eciq_id__in" if route == Route.ECIQ else "external_ref__in"
    existing = {
        (r.eciq_id if route == Route.ECIQ else r.external_ref): r
        for r in CreditRecord.objects.filter(**{lookup: [k for k in keys if k]})
        .select_related("organization")
        .only("id", "status", "eciq_id", "external_ref", "association_no", "organization__path")
    }
    result = IntakeResult()
    check = checker.check_eciq if route == Route.ECIQ else checker.check_external
    for index, raw in enumerate(entries):
        key = str(raw.get(key_field, "")).strip() if isinstance(raw, Mapping) else ""
        if key and key in existing:
            _duplicate(result, checker, index, key_field, key, existing[key])
            continue
        checked = check(index, raw)
        if isinstance(checked, Refusal):
            result.rejected.append(
                {
                    "index": index,
                    "code": checked.code,
                    "message": checked.message,
                    "field": checked.field,
                }
            )
            continue
        try:
            with transaction.atomic():
                record = _write(checked, route, actor, today)
        except IntegrityError:  # the same key committed by a concurrent batch since we looked
            found = CreditRecord.objects.filter(**{lookup: [key]}).select_related("organization").first()
            if found is None:
                raise
            record = found
            existing[key] = record
            _duplicate(result, checker, index, key_field, key, record)
            continue
        except DomainError as exc:  # e.g. serial_exhausted: this entry only
            result.rejected.append({"index": index, "code": exc.code, "message": exc.message, "field": ""})
            continue
        existing[key] = record
        result.created += 1
        result.records.append(_out(key_field, key, record))
    return result


def _duplicate(
    result: IntakeResult, checker: IntakeChecker, index: int, key_field: str, key: str, record: CreditRecord
) -> None:
    """A key sent before: the record it made, if the client may see it; otherwise only that the key is taken,
    so another bureau's record id, status and association number never leak through idempotence."""
    if checker.in_scope(record.organization):
        result.duplicates += 1
        result.records.append(_out(key_field, key, record, duplicate=True))
    else:
        message = f"编号“{key}”已被管辖范围外的记录使用，未导入"
        result.rejected.append({"index": index, "code": "key_in_use", "message": message, "field": key_field})


def _out(key_field: str, key: str, record: CreditRecord, duplicate: bool = False) -> dict[str, Any]:
    out = {key_field: key, "id": record.pk, "status": record.status}
    if key_field == "external_ref":
        out["association_no"] = record.association_no
    if duplicate:
        out["duplicate"] = True
    return out


def eciq_intake(*, entries: list[Any], actor: Actor) -> IntakeResult:
    """A batch from the e-CIQ main system (scope `eciq_intake`). Items needing no judgment are effective on
    arrival; the others wait for the 检务 (declaration stage) or 施检 (inspection stage) department of the
    organization concerned (`org_code`)."""
    return _intake(
        entries=entries,
        actor=actor,
        route=Route.ECIQ,
        scope="eciq_intake",
        key_field="eciq_id",
    )


def external_intake(*, entries: list[Any], actor: Actor) -> IntakeResult:
    """A batch from other regulators (scope `external_intake`): W-numbered, awaiting a reviewer of the
    receiving organization."""
    return _intake(
        entries=entries,
        actor=actor,
        route=Route.EXTERNAL,
        scope="external_intake",
        key_field="external_ref",
    )
