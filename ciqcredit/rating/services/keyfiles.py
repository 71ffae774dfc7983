"""Key enterprises (重点企业, §四(三)) and their three electronic files.

HQ business departments choose key enterprises by list or by rule (types and/or a registering organization's
subtree); a rule's matches are materialized as KeyEnterprise rows when it is saved or refreshed, so the hooks
below are one join. Each key enterprise has three files of dated entries with attachments: 升降级档案
(grade_change), 支持服务档案 (support) and 降级约谈档案 (interview). The platform writes an entry by itself when it
knows the event: every grade change of a key enterprise lands in its upgrade/downgrade file, and a downgrade
adds an interview to do. Everything else is entered by hand.
"""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Q, QuerySet

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.context import current_request_id
from ciqcredit.audit.models import AuditEntry
from ciqcredit.audit.services import audit_log, audit_log_many
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.enterprises.types import encode_types, unknown_types
from ciqcredit.errors import DomainError, NotFound
from ciqcredit.files import file_attach
from ciqcredit.organizations.access import person_of, require_role
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import Role
from ciqcredit.rating.models import (
    GradeCause,
    GradeChange,
    KeyEnterprise,
    KeyEnterpriseRule,
    KeyFile,
    KeyFileAttachment,
    KeyFileEntry,
)
from ciqcredit.rules.params import GRADES_DESC, grade_rank
from ciqcredit.sql import json_object_sql

GRADE_CHANGE_SOURCE = "rating.gradechange"
# The entries a grade change files, for both twins (key_files_record_grade_change and key_files_from_changes_sql):
INTERVIEW_TITLE = "降级约谈（{title}）"  # a downgrade calls for an interview, filed as a to-do
INTERVIEW_TODO_CONTENT = "待约谈"
ENTRY_CREATED = "rating.key_file.entry_created"


def _require_hq_department(user: User) -> str:
    """HQ rule maintainers act for their business department; HQ administrators for any."""
    require_role(user, Role.HQ_ADMIN, Role.HQ_RULES)
    if not user.is_hq:
        raise DomainError("forbidden", "重点企业由总局业务司局确定", status=403)
    return user.business_department


def _department_for(user: User, department: str) -> str:
    own = _require_hq_department(user)
    department = (department or own).strip()
    if not department:
        raise DomainError("missing_department", "请填写业务司局", {"field": "department"})
    if user.has_role(Role.HQ_RULES) and not user.has_role(Role.HQ_ADMIN) and department != own:
        raise DomainError("forbidden", f"您只能为本司局（{own}）确定重点企业", status=403)
    return department


@transaction.atomic
def key_enterprise_add(*, enterprise: Enterprise, department: str, reason: str, actor: Actor) -> KeyEnterprise:
    """Name an enterprise key for a department (by list)."""
    department = _department_for(person_of(actor), department)
    key, created = KeyEnterprise.objects.get_or_create(
        enterprise=enterprise,
        department=department,
        defaults={"since": clock.today(), "reason": reason, "created_by_label": actor.label},
    )
    if not created and not key.active:
        key.active = True
        key.save(update_fields=["active"])
    audit_log(
        actor=actor,
        action="rating.key_enterprise.added",
        target=enterprise,
        organization_id=enterprise.registering_org_id,
        new={"department": department, "reason": reason},
    )
    return key


@transaction.atomic
def key_enterprise_remove(*, key: KeyEnterprise, actor: Actor) -> KeyEnterprise:
    _department_for(person_of(actor), key.department)
    key.active = False
    key.save(update_fields=["active"])
    audit_log(
        actor=actor,
        action="rating.key_enterprise.removed",
        target=key.enterprise,
        organization_id=key.enterprise.registering_org_id,
        old={"department": key.department},
    )
    return key


def _rule_matches(rule: KeyEnterpriseRule) -> QuerySet[Enterprise]:
    qs = Enterprise.objects.filter(status="active")
    slugs = [s for s in rule.types.split(";") if s]
    if slugs:
        match = Q()
        for slug in slugs:
            match |= Q(types__contains=f";{slug};")
        qs = qs.filter(match)
    if rule.organization is not None:
        qs = qs.filter(registering_org__path__startswith=rule.organization.path)
    return qs


@transaction.atomic
def key_rule_create(
    *, department: str, name: str, types: list[str], organization: Organization | None, actor: Actor
) -> KeyEnterpriseRule:
    """A rule choosing key enterprises; its matches become key enterprises at once."""
    department = _department_for(person_of(actor), department)
    bad = unknown_types(types)
    if bad:
        raise DomainError("unknown_type", f"未知的企业类型：{'、'.join(bad)}", {"field": "types"})
    if not types and organization is None:
        raise DomainError("empty_rule", "规则须至少限定企业类型或备案地机构", {"field": "types"})
    rule = KeyEnterpriseRule.objects.create(
        department=department,
        name=name.strip() or "未命名规则",
        types=encode_types(types),
        organization=organization,
        created_at=clock.now(),
        created_by_label=actor.label,
    )
    added = key_rule_refresh(rule=rule, actor=actor)
    audit_log(
        actor=actor,
        action="rating.key_rule.created",
        target=rule,
        new={
            "department": department,
            "types": types,
            "organization": organization.code if organization else None,
            "matched": added,
        },
    )
    return rule


@transaction.atomic
def key_rule_refresh(*, rule: KeyEnterpriseRule, actor: Actor) -> int:
    """Materialize the rule's current matches as key enterprises (set-based); returns how many were added."""
    existing = KeyEnterprise.objects.filter(department=rule.department).values("enterprise_id")
    new_ids = list(_rule_matches(rule).exclude(pk__in=existing).values_list("pk", flat=True))
    reason = f"符合规则“{rule.name}”"
    added = KeyEnterprise.objects.bulk_create(
        [
            KeyEnterprise(
                enterprise_id=pk,
                department=rule.department,
                rule=rule,
                since=clock.today(),
                reason=reason,
                created_by_label=actor.label,
            )
            for pk in new_ids
        ],
        batch_size=5000,
    )
    # One audit row per enterprise made key, as key_enterprise_add writes for one made by hand.
    enterprises = Enterprise.objects.in_bulk(new_ids)
    audit_log_many(
        actor=actor,
        action="rating.key_enterprise.added",
        changes=[
            (enterprises[k.enterprise_id], None, {"department": rule.department, "reason": reason}) for k in added
        ],
        organization_id=rule.organization_id,
    )
    return len(new_ids)


def _is_key(enterprise_id: int) -> bool:
    return KeyEnterprise.objects.filter(enterprise_id=enterprise_id, active=True).exists()


def _grade_title(previous: str, grade: str, cause: str) -> str:
    label = GradeCause(cause).label
    if not previous:
        return f"评为{grade}级（{label}）"
    direction = "升级" if grade_rank(grade) < grade_rank(previous) else "降级"
    return f"{direction}：由{previous}级调整为{grade}级（{label}）"


def key_files_record_grade_change(*, change: GradeChange, actor: Actor) -> int:
    """The single-change hook (called by grade_change_apply): file entries for a key enterprise's change."""
    if change.previous_grade == change.grade or not _is_key(change.enterprise_id):
        return 0
    common = {
        "enterprise_id": change.enterprise_id,
        "entry_date": change.effective_from,
        "automatic": True,
        "source_type": GRADE_CHANGE_SOURCE,
        "source_id": str(change.pk),
        "organization_id": change.enterprise.registering_org_id,
        "created_by": actor.user,
        "created_by_label": actor.label,
        "created_at": clock.now(),
    }
    title = _grade_title(change.previous_grade, change.grade, change.cause)
    entries = [KeyFileEntry(file=KeyFile.GRADE_CHANGE, title=title, content=change.reason, **common)]
    if change.previous_grade and grade_rank(change.grade) > grade_rank(change.previous_grade):
        entries.append(
            KeyFileEntry(
                file=KeyFile.INTERVIEW,
                title=INTERVIEW_TITLE.format(title=title),
                todo=True,
                content=INTERVIEW_TODO_CONTENT,
                **common,
            )
        )
    KeyFileEntry.objects.bulk_create(entries)
    audit_log_many(
        actor=actor,
        action=ENTRY_CREATED,
        changes=[
            (e, None, {"file": e.file, "entry_date": e.entry_date.isoformat(), "title": e.title}) for e in entries
        ],
        organization_id=change.enterprise.registering_org_id,
    )
    return len(entries)


def _rank_case(column: str) -> str:
    whens = " ".join(f"WHEN '{g}' THEN {i}" for i, g in enumerate(GRADES_DESC))
    return f"(CASE {column} {whens} END)"


def _audit_entries_from_changes_sql(cursor, joined_sql: str, joined_params: list[Any], actor: Actor, now) -> None:
    """The audit rows of the entries just filed for the changes in `joined_sql`: the rows audit_log_many
    writes for key_files_record_grade_change (label: str(KeyFileEntry), new: file, entry date, title)."""
    entry = KeyFileEntry._meta.db_table
    audit = AuditEntry._meta.db_table
    file_label = "CASE f.file " + " ".join(f"WHEN '{k.value}' THEN '{k.label}'" for k in KeyFile) + " END"
    new = json_object_sql([("file", "f.file"), ("entry_date", "CAST(f.entry_date AS TEXT)"), ("title", "f.title")])
    cursor.execute(
        f"INSERT INTO {audit} (at, actor_id, actor_label, organization_id, action, target_type, target_id, "
        "target_label, old, new, request_id) "
        "SELECT %s, %s, %s, f.organization_id, %s, %s, CAST(f.id AS TEXT), "
        f"SUBSTR({file_label} || ' ' || CAST(f.entry_date AS TEXT) || ' ' || f.title, 1, 200), NULL, {new}, %s "
        f"FROM {entry} f WHERE f.source_type = %s AND f.created_at = %s "
        f"AND f.source_id IN (SELECT CAST(g.id AS TEXT) {joined_sql}) ORDER BY f.id",
        [
            now,
            actor.user.pk if actor.user is not None else None,
            actor.label,
            ENTRY_CREATED,
            f"{KeyFileEntry._meta.app_label}.{KeyFileEntry._meta.model_name}",
            current_request_id(),
            GRADE_CHANGE_SOURCE,
            now,
            *joined_params,
        ],
    )


def key_files_from_changes_sql(*, joined_sql: str, joined_params: list[Any], actor: Actor, now: Any) -> int:
    """The set-based hook of the bulk path: `joined_sql` is a FROM … WHERE exposing the new changes as `g`."""
    if not KeyEnterprise.objects.filter(active=True).exists():
        return 0
    entry = KeyFileEntry._meta.db_table
    key = KeyEnterprise._meta.db_table
    ent = Enterprise._meta.db_table
    user_id = actor.user.pk if actor.user is not None else None
    cause_label = "CASE g.cause " + " ".join(f"WHEN '{c.value}' THEN '{c.label}'" for c in GradeCause) + " END"
    direction = f"CASE WHEN {_rank_case('g.grade')} < {_rank_case('g.previous_grade')} THEN '升级' ELSE '降级' END"
    title = (
        f"CASE WHEN g.previous_grade = '' THEN '评为' || g.grade || '级（' || {cause_label} || '）' "
        f"ELSE {direction} || '：由' || g.previous_grade || '级调整为' || g.grade "
        f"|| '级（' || {cause_label} || '）' END"
    )
    interview_title = "'" + INTERVIEW_TITLE.replace("{title}", "' || " + title + " || '") + "'"
    total = 0
    with connection.cursor() as cursor:
        for file, title_sql, todo, content_sql, content_params, extra in (
            (KeyFile.GRADE_CHANGE.value, title, False, "g.reason", [], ""),
            (
                KeyFile.INTERVIEW.value,
                interview_title,
                True,
                "%s",
                [INTERVIEW_TODO_CONTENT],
                f" AND g.previous_grade <> '' AND {_rank_case('g.grade')} > {_rank_case('g.previous_grade')}",
            ),
        ):
            cursor.execute(
                f"INSERT INTO {entry} (enterprise_id, file, entry_date, title, content, todo, automatic, source_type, "
                "source_id, organization_id, created_by_id, created_by_label, created_at) "
                f"SELECT g.enterprise_id, %s, g.effective_from, {title_sql}, {content_sql}, %s, TRUE, %s, "
                f"CAST(g.id AS TEXT), (SELECT e.registering_org_id FROM {ent} e WHERE e.id = g.enterprise_id), "
                "%s, %s, %s "
                f"{joined_sql} "
                f"AND g.grade <> g.previous_grade{extra} "
                f"AND EXISTS (SELECT 1 FROM {key} k WHERE k.enterprise_id = g.enterprise_id AND k.active)",
                [file, *content_params, todo, GRADE_CHANGE_SOURCE, user_id, actor.label, now, *joined_params],
            )
            total += cursor.rowcount
        if total:
            _audit_entries_from_changes_sql(cursor, joined_sql, joined_params, actor, now)
    return total


@transaction.atomic
def key_file_entry_create(
    *,
    enterprise: Enterprise,
    file: str,
    entry_date: dt.date,
    title: str,
    content: str,
    actor: Actor,
    attachments: list[UploadedFile] | None = None,
) -> KeyFileEntry:
    """An entry entered by hand (support given, an interview held, a grade file note), with attachments."""
    user = person_of(actor)
    require_role(user, Role.HQ_ADMIN, Role.HQ_RULES, Role.BUREAU_CREDIT)
    if file not in KeyFile.values:
        raise DomainError("unknown_file", f"未知的档案类别“{file}”", {"field": "file"})
    if not title.strip():
        raise DomainError("missing_title", "请填写标题", {"field": "title"})
    if not _is_key(enterprise.pk):
        raise DomainError("not_key_enterprise", "该企业不是重点企业", {"credit_code": enterprise.credit_code})
    now = clock.now()
    entry = KeyFileEntry.objects.create(
        enterprise=enterprise,
        file=file,
        entry_date=entry_date,
        title=title.strip(),
        content=content,
        organization_id=enterprise.registering_org_id,
        created_by=user,
        created_by_label=actor.label,
        created_at=now,
    )
    for upload in attachments or []:
        name = upload.name or ""
        attachment = KeyFileAttachment(entry=entry, name=name[:200], uploaded_by_label=actor.label, uploaded_at=now)
        file_attach(attachment.file, name, upload)
        attachment.save(force_insert=True)
    audit_log(
        actor=actor,
        action="rating.key_file.entry_created",
        target=entry,
        organization_id=enterprise.registering_org_id,
        new={
            "file": file,
            "entry_date": entry_date.isoformat(),
            "title": entry.title,
            "attachments": len(attachments or []),
        },
    )
    return entry


@transaction.atomic
def key_interview_done(*, entry: KeyFileEntry, held_on: dt.date, content: str, actor: Actor) -> KeyFileEntry:
    """Record that the interview a downgrade called for was held."""
    require_role(person_of(actor), Role.HQ_ADMIN, Role.BUREAU_CREDIT)
    if entry.file != KeyFile.INTERVIEW or not entry.todo:
        raise DomainError("not_open_interview", "该记录不是待办的约谈")
    old = {"todo": True, "content": entry.content}
    entry.todo = False
    entry.done_on = held_on
    entry.content = content
    entry.save(update_fields=["todo", "done_on", "content"])
    audit_log(
        actor=actor,
        action="rating.key_file.interview_done",
        target=entry,
        organization_id=entry.organization_id,
        old=old,
        new={"todo": False, "done_on": held_on.isoformat(), "content": content},
    )
    return entry


def key_entry_get_for_user(user: User, pk: int) -> KeyFileEntry:
    from ciqcredit.organizations.access import org_scope_q

    entry = KeyFileEntry.objects.filter(org_scope_q(user, "organization"), pk=pk).first()
    if entry is None or user.is_enterprise_user:
        raise NotFound("档案记录")
    return entry
