"""The lifecycle of a rules version: create a draft, edit its header, submit, return, publish.

Content changes of a draft (items, parameters, measures) live in editing.py; imports in exchange.py.
Every function locks the version row and re-checks its status inside the transaction, so two people
cannot publish and edit (or publish twice) at the same moment.
"""

import datetime as dt
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Max

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log, diff
from ciqcredit.catalogue.access import require_editor, require_publisher
from ciqcredit.catalogue.choices import OPEN_STATUSES, Kind, Status
from ciqcredit.catalogue.models import (
    VERSION_MODELS,
    CatalogueItem,
    CatalogueVersion,
    ChecklistItem,
    ChecklistVersion,
    JointMeasure,
    JointMeasureVersion,
    Measure,
    MeasureListVersion,
    RuleSetVersion,
    RulesVersion,
    VersionModel,
    VersionTransition,
)
from ciqcredit.catalogue.validation import clean_params
from ciqcredit.errors import Conflict, DomainError
from ciqcredit.rules.params import RuleSetParams

V = TypeVar("V", bound=RulesVersion)


def version_model(kind: str) -> VersionModel:
    try:
        return VERSION_MODELS[kind]
    except KeyError:
        allowed = "、".join(f"{k}（{label}）" for k, label in Kind.choices)
        raise DomainError("unknown_kind", f"未知的规则类别“{kind}”，应为：{allowed}", {"kind": kind}) from None


def version_snapshot(version: RulesVersion) -> dict[str, Any]:
    return {
        "kind": version.KIND,
        "number": version.number,
        "status": version.status,
        "title": version.title,
        "notes": version.notes,
        "is_reference": version.is_reference,
        "effective_from": version.effective_from.isoformat() if version.effective_from else None,
    }


def lock_version(version: V) -> V:
    """The row re-read under a row lock: the status seen by the caller may be stale."""
    return type(version)._default_manager.select_for_update().get(pk=version.pk)


def require_draft(version: RulesVersion) -> None:
    if version.status == Status.PUBLISHED:
        raise Conflict(
            "version_published",
            f"{version}已发布，不能修改；如需更正，请新建版本",
            {"kind": version.KIND, "number": version.number},
        )
    if version.status != Status.DRAFT:
        why = "已废弃" if version.status == Status.DISCARDED else "正在审核中，不能修改；请先由总局管理员退回"
        raise Conflict(
            "version_not_draft",
            f"{version}{why}",
            {"kind": version.KIND, "number": version.number, "status": version.status},
        )


def _record_transition(version: RulesVersion, *, to: str, actor: Actor, reason: str = "", action: str) -> None:
    from_status = version.status if action != "created" else ""
    VersionTransition.objects.create(
        kind=version.KIND,
        version_id=version.pk,
        number=version.number,
        from_status=from_status,
        to_status=to,
        reason=reason,
        actor=actor.user,
        actor_label=actor.label,
        at=clock.now(),
    )
    old = {"status": from_status} if from_status else None
    new = {**version_snapshot(version), "status": to}
    if reason:
        new["reason"] = reason
    audit_log(actor=actor, action=f"catalogue.version.{action}", target=version, old=old, new=new)


def latest_published(kind: str) -> RulesVersion | None:
    return version_model(kind).objects.filter(status=Status.PUBLISHED).order_by("-number").first()


def open_version(kind: str) -> RulesVersion | None:
    return version_model(kind).objects.filter(status__in=OPEN_STATUSES).order_by("-number").first()


def _copy_content(source: RulesVersion | None, target: RulesVersion) -> int:
    if isinstance(target, RuleSetVersion):
        if isinstance(source, RuleSetVersion):
            target.params, target.cases_yaml = source.params, source.cases_yaml
        else:
            target.params = RuleSetParams().model_dump(mode="json")
        target.save(update_fields=["params", "cases_yaml"])
        return 0
    if source is None:
        return 0
    rows: list[Any] = []
    if isinstance(target, ChecklistVersion) and isinstance(source, ChecklistVersion):
        target.schedule, target.rectification_days = source.schedule, source.rectification_days
        target.save(update_fields=["schedule", "rectification_days"])
        for entry in source.checklist_items.all():
            entry.pk, entry.version = None, target
            rows.append(entry)
        ChecklistItem.objects.bulk_create(rows)
        return len(rows)
    if isinstance(target, JointMeasureVersion) and isinstance(source, JointMeasureVersion):
        for joint in source.joint_measures.all():
            joint.pk, joint.version = None, target
            rows.append(joint)
        JointMeasure.objects.bulk_create(rows)
        return len(rows)
    if isinstance(source, CatalogueVersion):
        for item in source.items.all():
            item.pk, item.version_id = None, target.pk
            rows.append(item)
        CatalogueItem.objects.bulk_create(rows)
    elif isinstance(source, MeasureListVersion):
        if isinstance(target, MeasureListVersion):
            target.precedence = source.precedence
            target.save(update_fields=["precedence"])
        for measure in source.measures.all():
            measure.pk, measure.version_id = None, target.pk
            rows.append(measure)
        Measure.objects.bulk_create(rows)
    return len(rows)


def version_draft_create(
    *, kind: str, actor: Actor, title: str = "", notes: str = "", is_reference: bool = False, empty: bool = False
) -> RulesVersion:
    """A new draft, copied from the latest published version of the kind (or empty: `empty` or none yet)."""
    model = version_model(kind)
    require_editor(actor)
    try:
        with transaction.atomic():
            current = open_version(kind)
            if current is not None:
                raise Conflict(
                    "draft_exists",
                    f"{current}尚未发布（{Status(current.status).label}），同一类规则同时只能有一个未发布版本",
                    {"kind": kind, "number": current.number},
                )
            source = None if empty else latest_published(kind)
            number = (model.objects.aggregate(n=Max("number"))["n"] or 0) + 1
            version = model.objects.create(
                number=number,
                status=Status.DRAFT,
                title=title.strip() or (source.title if source else "") or f"{Kind(kind).label} 第{number}版",
                notes=notes.strip(),
                is_reference=is_reference,
                based_on_id=source.pk if source is not None else None,
                created_by=actor.user,
                created_by_label=actor.label,
                created_at=clock.now(),
            )
            copied = _copy_content(source, version)
            _record_transition(version, to=Status.DRAFT, actor=actor, action="created")
            if source is not None:
                audit_log(
                    actor=actor,
                    action="catalogue.version.copied",
                    target=version,
                    new={"based_on": source.number, "rows": copied},
                )
    except IntegrityError:
        # Two people created a draft at the same instant: the number is unique, the second one loses.
        raise Conflict("draft_exists", "同一类规则同时只能有一个未发布版本，请刷新后重试", {"kind": kind}) from None
    return version


@transaction.atomic
def version_update(*, version: RulesVersion, actor: Actor, title: str, notes: str) -> RulesVersion:
    require_editor(actor)
    version = lock_version(version)
    require_draft(version)
    before = version_snapshot(version)
    if not title.strip():
        raise DomainError("missing_field", "版本标题不能为空", {"field": "title"})
    version.title, version.notes = title.strip(), notes.strip()
    version.save(update_fields=["title", "notes"])
    old, new = diff(before, version_snapshot(version))
    if new:
        audit_log(actor=actor, action="catalogue.version.updated", target=version, old=old, new=new)
    return version


def _content_problems(version: RulesVersion) -> list[str]:
    if isinstance(version, CatalogueVersion) and not version.items.exists():
        return ["采集条目版本中没有任何条目"]
    if isinstance(version, MeasureListVersion) and not version.measures.exists():
        return ["差异化措施版本中没有任何措施"]
    if isinstance(version, ChecklistVersion) and not version.checklist_items.exists():
        return ["督查检查表版本中没有任何检查项目"]
    if isinstance(version, JointMeasureVersion) and not version.joint_measures.exists():
        return ["联合奖惩措施版本中没有任何措施"]
    if isinstance(version, RuleSetVersion):
        _, errors = clean_params(version.params)
        problems = [e.message for e in errors]
        if not version.cases_yaml.strip():
            problems.append("评定规则须附规则测试用例（YAML），发布前逐条运行")
        return problems
    return []


@transaction.atomic
def version_submit(*, version: RulesVersion, actor: Actor) -> RulesVersion:
    require_editor(actor)
    version = lock_version(version)
    require_draft(version)
    problems = _content_problems(version)
    if problems:
        raise DomainError("version_incomplete", f"{version}尚不完整：{'；'.join(problems)}", {"problems": problems})
    _record_transition(version, to=Status.IN_REVIEW, actor=actor, action="submitted")
    version.status = Status.IN_REVIEW
    version.submitted_by, version.submitted_by_label, version.submitted_at = actor.user, actor.label, clock.now()
    version.save(update_fields=["status", "submitted_by", "submitted_by_label", "submitted_at"])
    return version


@transaction.atomic
def version_discard(*, version: RulesVersion, actor: Actor, reason: str = "") -> RulesVersion:
    """A draft that is not wanted is discarded: it keeps its number and history, and a new draft may be made."""
    require_editor(actor)
    version = lock_version(version)
    require_draft(version)
    _record_transition(version, to=Status.DISCARDED, actor=actor, reason=reason, action="discarded")
    version.status = Status.DISCARDED
    version.save(update_fields=["status"])
    return version


def _require_in_review(version: RulesVersion) -> None:
    if version.status == Status.PUBLISHED:
        raise Conflict("version_published", f"{version}已发布，不能再次审核或发布", {"number": version.number})
    if version.status != Status.IN_REVIEW:
        raise Conflict(
            "version_not_in_review", f"{version}尚未提交审核", {"number": version.number, "status": version.status}
        )


@transaction.atomic
def version_return(*, version: RulesVersion, reason: str, actor: Actor) -> RulesVersion:
    """Send a version in review back to draft; the reason is kept in its history."""
    require_publisher(actor)
    version = lock_version(version)
    _require_in_review(version)
    if not reason.strip():
        raise DomainError("missing_reason", "退回须说明理由", {"field": "reason"})
    _record_transition(version, to=Status.DRAFT, actor=actor, reason=reason.strip(), action="returned")
    version.status = Status.DRAFT
    version.save(update_fields=["status"])
    return version


def run_rule_cases(version: RuleSetVersion) -> list[dict[str, Any]]:
    """The rule set's example cases, run by the rating engine; returns the failures (empty: all pass)."""
    from ciqcredit.rules.cases import run_cases  # the rating engine owns the case semantics

    outcomes = run_cases(version.rule_params, version.cases_yaml)
    return [{"name": o.name, "message": o.message} for o in outcomes if not o.passed]


@transaction.atomic
def version_publish(*, version: RulesVersion, effective_from: dt.date, actor: Actor) -> RulesVersion:
    """Publish a version in review, in force from `effective_from` (today or later; system actors: any date)."""
    user = require_publisher(actor)
    version = lock_version(version)
    _require_in_review(version)
    if user is not None and effective_from < clock.today():
        raise DomainError(
            "effective_date_in_past",
            f"生效日期（{effective_from:%Y-%m-%d}）不能早于今天（{clock.today():%Y-%m-%d}）",
            {"field": "effective_from"},
        )
    problems = _content_problems(version)
    if problems:
        raise DomainError("version_incomplete", f"{version}尚不完整：{'；'.join(problems)}", {"problems": problems})
    if isinstance(version, RuleSetVersion):
        failures = run_rule_cases(version)
        if failures:
            raise DomainError(
                "rule_cases_failed",
                f"{len(failures)}个规则测试用例未通过，不能发布：" + "；".join(f["name"] for f in failures),
                {"failures": failures},
            )
    version.effective_from = effective_from
    _record_transition(version, to=Status.PUBLISHED, actor=actor, action="published")
    version.status = Status.PUBLISHED
    version.published_by, version.published_by_label, version.published_at = actor.user, actor.label, clock.now()
    version.save(update_fields=["status", "effective_from", "published_by", "published_by_label", "published_at"])
    return version


def version_history(version: RulesVersion):
    return VersionTransition.objects.filter(kind=version.KIND, version_id=version.pk).select_related("actor")
