"""How audit rows read on a page: actions, field names, values and people in Chinese.

Data, with the raw code as fallback; a test scans the source so that no code, key or job reaches that fallback.
"""

import datetime as dt
import re
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from ciqcredit.audit.models import AuditEntry
from ciqcredit.dynamic.models import CaseStatus
from ciqcredit.enterprises.types import EnterpriseType
from ciqcredit.organizations.roles import Role, Scope
from ciqcredit.sharing.models import SharedField, SharedList

# Whole action codes whose label is not "<object type><verb>".
ACTION_LABELS: dict[str, str] = {
    "enterprises.import.completed": "企业信息导入完成",
    "collection.record.received_eciq": "接收主干系统不合格信息",
    "dynamic.case.aa_lost": "即时丧失AA级",
    "rating.aa.batch_created": "拟定AA级企业批次",
    "rating.aa.batch_approved": "批准AA级企业批次",
    "rating.key_file.entry_created": "重点企业档案新增记录",
    "rating.key_file.interview_done": "完成降级约谈",
    "workdays.deadline.closed_before_start": "期限关闭",
    "collection.record.act_linked": "信用信息并入同一失信行为",
    "collection.record.discarded": "删除信用信息草稿",
    "collection.record.attached": "信用信息上传证据文件",
    "dynamic.notice.voided": "书面告知书作废并重新拟制",
    "catalogue.checklist.content_replaced": "修订督查检查表内容",
    "catalogue.checklist.schedule_updated": "修改督查计划安排和整改期限",
    "oversight.sheet_item.judged": "判定督查检查项目",
    "oversight.sheet_item.evidence_added": "上传督查证明材料",
    "oversight.task.open": "下达整改任务",
    "oversight.task.answered": "报送整改情况",
    "oversight.task.accepted": "验收整改",
    "oversight.task.returned": "退回整改",
    "collection.record.received_external": "接收外部门信用信息",
    "dynamic.case.defence_period": "进入陈述申辩期",
    "organizations.user.logged_in": "登录",
    "organizations.user.logged_out": "退出登录",
    "organizations.user.login_failed": "登录失败",
    "organizations.user.password_changed": "修改密码",
    "organizations.user.password_reset": "管理员重置密码",
    "organizations.user.deactivated": "停用账号",
    "organizations.token.rotated": "接口令牌轮换",
    "repair.application.rejected": "信用修复申请不予受理",
    "rating.aa_request.rejected": "AA级在线申请不予受理",
    "collection.objection.filed": "企业对信用信息提出异议",
    "collection.objection.upheld": "企业异议复核：异议成立",
    "collection.objection.rejected": "企业异议复核：异议不成立",
    "dynamic.case.defence_submitted": "企业在线提交陈述申辩",
    "dynamic.case.reversed": "撤销已实施的降级或列入，恢复等级",
    "dynamic.case.reversal_superseded": "所依据的信息已失效，其后的等级决定维持不变",
    "dynamic.notice.sent_electronic": "书面告知书发送至企业账户（电子送达）",
    "dynamic.notice.opened": "企业首次查阅书面告知书",
    "portal.account.created": "开设企业端账号",
    "portal.account.disabled": "停用企业端账号",
    "catalogue.joint.content_replaced": "修订联合奖惩措施内容",
    "partners.partner.created": "登记合作部门",
    "partners.partner_list.created": "登记合作部门名单",
    "partners.partner_list.received": "接收合作部门名单",
    "sharing.agreement.requested": "登记共享协议",
    "sharing.agreement.approved": "批准共享协议",
    "sharing.agreement.rejected": "不予批准共享协议",
    "sharing.agreement.revoked": "终止共享协议",
}

# A dynamic case's status moves are audited as `dynamic.case.<status>` (ciqcredit.dynamic.workflow.transition).
ACTION_LABELS = {**{f"dynamic.case.{s}": f"动态管理案件{label}" for s, label in CaseStatus.choices}, **ACTION_LABELS}

# Jobs and commands that act as `Actor(system=...)`: the name a person reads instead of `system:<job>`.
# Jobs and commands that act as `Actor.job(...)`: the name a person reads instead of `system:<job>`.
SYSTEM_JOBS: dict[str, str] = {
    "platform": "平台",
    "setup": "平台初始化",
    "demo": "演示数据装载",
    "evaluate": "周期评定任务",
    "close_evaluations": "确认期满处理任务",
    "close_proposals": "即时降级初评确认期满处理任务",
    "import_enterprises": "企业信息导入任务",
    "rules-command": "信用规则导入导出",
    "workdays-load": "节假日安排装载",
    "workdays-seed": "工作日历初始化",
    "create_api_client": "系统接入账号登记",
    "create_token": "接口令牌签发",
    "create_org": "机构登记",
    "create_user": "用户登记",
    "dynamic": "动态管理自动复核",
    "jobs": "后台任务",
    "open_plans": "督查计划自动开启",
    "test": "测试任务",
    "login": "登录",
    "deactivate_user": "账号停用",
    "reset_password": "密码重置",
    "revoke_token": "接口令牌撤销",
    "rotate_token": "接口令牌轮换",
    "tracking-check": "跟踪落实每日检查",
    "electronic_delivery": "电子送达",
    "deliver_notices": "电子送达期满处理任务",
    "notify": "到期提醒任务",
    "create_partner": "合作部门登记",
    "grant_sharing": "共享协议登记与批准",
}

# Keys of audit values that are not (Chinese-named) fields of the target's model.
FIELD_LABELS: dict[str, str] = {
    "current_change": "现行等级记录",
    "files": "证据文件",
    "grade_change": "等级变更",
    "opened_by": "查阅人",
    "opened_at": "查阅时间",
    "received_on": "受理日期",
    "record": "信用信息",
    "statement": "陈述申辩意见",
    "reasons": "异议理由",
    "from": "起始日期",
    "to": "截止日期",
    "inspectors": "检查人员",
    "offices": "被检查单位",
    "tasks": "整改任务",
    "verdicts": "检查结果",
    "extra_items": "增加的检查项目",
    "checklist": "检查表版本",
    "items": "检查项目",
    "schedule": "督查计划安排",
    "rectification_days": "整改期限（天）",
    "file": "文件",
    "plan": "督查计划",
    "added": "新增",
    "applications": "申请",
    "attachments": "附件",
    "case": "案件编号",
    "cases": "测试用例",
    "cases_changed": "测试用例有变化",
    "cause": "变更原因",
    "changed": "修改",
    "closed": "关闭数",
    "confirmed": "确认数",
    "confirmed_by": "确认人",
    "controlled": "布控",
    "correction": "更正记录",
    "created": "新增数",
    "credit_code": "统一社会信用代码",
    "credit_codes": "企业（统一社会信用代码）",
    "declarations": "报检批次",
    "declaration_errors": "报检差错批次",
    "department": "部门",
    "due_on": "期限",
    "effective_from": "生效日期",
    "enterprise": "企业",
    "format": "文件格式",
    "grade": "信用等级",
    "granted": "授予",
    "holidays": "放假天数",
    "initial_grade": "初评等级",
    "intended_action": "拟采取措施",
    "kind": "类别",
    "label": "名称",
    "late_working_days": "逾期工作日数",
    "makeup_workdays": "调休上班天数",
    "matched": "匹配数",
    "met": "按期完成",
    "method": "方式",
    "month": "月份",
    "name": "名称",
    "organization": "机构",
    "params_changed": "参数有变化",
    "parent": "上级机构",
    "partial": "部分导入",
    "person_name": "姓名",
    "precedence_changed": "措施竞合规则有变化",
    "prefix": "令牌前缀",
    "reason": "理由",
    "records": "信用信息",
    "refused": "不予批准",
    "rejected": "拒收数",
    "removed": "删除",
    "result": "评定结果编号",
    "run_id": "周期评定编号",
    "revoked_at": "撤销时间",
    "rows": "行数",
    "ruleset_version": "评定规则版本",
    "source": "来源",
    "status": "状态",
    "trigger_record": "触发信息",
    "unchanged": "未变数",
    "updated": "更新数",
    "user": "用户",
    "version": "版本号",
    "place": "排列顺序（第几项）",
    "act_of": "同一失信行为的信息",
    "attachment": "证据文件",
    "rules": "适用的调整规则",
    "max_steps": "最多调整级数",
    "department_kinds": "可调整的部门类别",
    "reference_value": "采用参考值",
    "replaced_by": "重新拟制的告知书",
    "to_grade": "拟调整为",
    "from_grade": "原等级",
    "is_active": "账号启用",
    "ip": "来源地址",
    "username": "用户名",
    "expires_at": "有效期至",
    "expires_on": "账号有效期至",
    "successor": "新令牌",
    "entered": "新列入",
    "left": "移出",
    "size": "条目数",
    "pending": "待匹配（尚未备案）",
    "lists": "共享名单",
    "fields": "共享字段",
    "partner": "合作部门",
    "measures": "措施数",
    "purpose": "用途",
    "valid_from": "起始日期",
    "valid_to": "截止日期",
    "code": "代码",
    "title": "名称",
}

# Keys whose values are usernames: shown as the person's name.
PERSON_KEYS = frozenset({"confirmed_by", "user", "decided_by", "reviewer", "inspectors"})
# Keys whose values are organization codes: shown as the organization's name.
ORGANIZATION_KEYS = frozenset({"organization", "parent", "registering_org", "partner"})

# Values that are not model choices: key -> slug labels.
KEY_VALUES: dict[str, dict[str, str]] = {
    "source": {
        "demo": "演示数据",
        "file": "文件",
        "api": "接口",
        "command": "命令行",
        "snapshot": "全量名单",
        "entries": "增减条目",
    },
    "format": {
        "yaml": "YAML 文件",
        "xlsx": "Excel 文件",
        "csv": "CSV 文件",
        "json": "JSON 文件",
        "jsonl": "JSON Lines 文件",
    },
    "kind": {
        "catalogue": "信用信息采集条目",
        "ruleset": "信用等级评定规则",
        "measures": "差异化检验检疫措施",
        "joint": "联合奖惩措施",
    },
}


# Subjects of action codes that are not a model's `app.model` (e.g. `collection.record` is a CreditRecord).
ACTION_SUBJECTS: dict[str, str] = {
    "collection.record": "信用信息",
    "collection.exclusion": "不予采集决定",
    "catalogue.item": "采集条目",
    "catalogue.measure": "差异化措施",
    "catalogue.joint_measure": "联合奖惩措施",
    "catalogue.checklist_item": "督查检查项目",
    "catalogue.ruleset": "评定规则",
    "catalogue.version": "规则版本",
    "dynamic.case": "动态管理案件",
    "dynamic.notice": "书面告知",
    "dynamic.batch": "上报总局批次",
    "dynamic.removal": "移出名单申请",
    "rating.grade": "信用等级",
    "rating.evaluation": "周期评定",
    "rating.activity": "月度业务量",
    "rating.aa": "AA级申请",
    "rating.key_enterprise": "重点企业",
    "rating.key_rule": "重点企业规则",
    "workdays.deadline": "期限",
    "workdays.schedule": "节假日安排",
    "tracking.item": "执行不到位事项",
    "organizations.api_client": "系统接入账号",
    "organizations.token": "接口令牌",
    "organizations.staffing": "人员配置",
    "organizations.training": "培训记录",
    "oversight.plan": "督查计划",
    "oversight.sheet": "督查检查表",
    "oversight.circular": "督查通报",
    "repair.application": "信用修复申请",
    "rating.aa_request": "AA级在线申请",
    "certificates.certificate": "信用等级证明",
}

# Object types whose model carries no Chinese verbose name (internal rows that still show as audit targets).
MODEL_LABELS: dict[str, str] = {
    "collection.recordtransition": "信用信息状态变更",
    "collection.recordattachment": "信用信息附件",
    "collection.associationserial": "业务关联号流水",
    "collection.exclusion": "不予采集决定",
    "rating.currentgrade": "现行信用等级",
    "rating.keyfileattachment": "重点企业档案附件",
    "dynamic.caserecord": "案件所涉信用信息",
    "dynamic.casetransition": "案件状态变更",
    "dynamic.casedeadline": "案件期限",
    "dynamic.noticeserial": "告知书编号流水",
    "dynamic.defenceevidence": "陈述申辩证据文件",
    "collection.objectionfile": "异议证据文件",
}

# Slugs stored in JSON or delimited fields that have no model choices: (target type, field) -> slug labels.
VALUE_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("enterprises.enterprise", "types"): dict(EnterpriseType.choices),
    ("organizations.user", "roles"): dict(Role.choices),
    ("organizations.user", "scopes"): dict(Scope.choices),
    ("sharing.sharingagreement", "lists"): dict(SharedList.choices),
    ("sharing.sharingagreement", "fields"): dict(SharedField.choices),
}

# Keys that belong to another model than the target's: (action, key) -> (model, field).
FIELD_OF: dict[tuple[str, str], tuple[str, str]] = {
    ("rating.grade.changed", "status"): ("rating.evaluationresult", "status"),
}

# The last segment of an action code (`enterprises.enterprise.updated`) is the verb.
ACTION_VERBS: dict[str, str] = {
    "created": "新建",
    "updated": "修改",
    "imported": "导入",
    "synced": "同步",
    "cancelled": "注销",
    "reactivated": "恢复",
    "deleted": "删除",
    "moved": "调整顺序",
    "revoked": "撤销",
    "submitted": "提交",
    "confirmed": "确认",
    "rejected": "退回",
    "approved": "批准",
    "published": "发布",
    "loaded": "装载",
    "rated": "评定",
    "effective": "生效",
    "superseded": "被替代",
    "corrected": "更正",
    "returned": "退回",
    "changed": "变更",
    "completed": "完成",
    "adjusted": "调整",
    "closed": "关闭",
    "opened": "开启",
    "recomputed": "重算",
    "seeded": "初始化",
    "drafted": "拟制",
    "delivered": "送达",
    "accepted": "受理",
    "refused": "不予批准",
    "applied": "申请",
    "received": "接收",
    "added": "加入",
    "removed": "移出",
    "copied": "复制",
    "discarded": "废弃",
    "raised": "生成",
    "answered": "说明整改",
    "forwarded": "反馈总局",
    "issued": "出具",
}


_HAN = re.compile(r"[\u4e00-\u9fff]")


def is_chinese(text: str) -> bool:
    return bool(_HAN.search(text))


def target_type_label(target_type: str) -> str:
    """`enterprises.enterprise` -> 企业 (the model's verbose name), else the code itself."""
    if target_type in MODEL_LABELS:
        return MODEL_LABELS[target_type]
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type


def system_job_label(job: str) -> str:
    return SYSTEM_JOBS.get(job, job)


def actor_label(label: str, user: Any = None) -> str:
    """Who acted, as a person reads it: a job's Chinese name, or a person's (or system's) name."""
    if label.startswith("system:"):
        return system_job_label(label.removeprefix("system:"))
    from ciqcredit.organizations.people import person_name, person_name_of

    return person_name(user) if user is not None else person_name_of(label)


@cache
def _all_choice_labels() -> dict[str, str]:
    """Every model choice of the platform, slug -> label: the last resort for a slug stored away from its field."""
    labels: dict[str, str] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("ciqcredit."):
            continue
        for field in model._meta.concrete_fields:
            for value, label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str):
                    labels.setdefault(value, str(label))
    # Codes that name rules and deadline kinds rather than choices (imported here: the apps sit above audit).
    from ciqcredit.collection.choices import DEADLINE_KINDS
    from ciqcredit.collection.objections import DEADLINE_OBJECTION
    from ciqcredit.dynamic.workflow import STEPS
    from ciqcredit.oversight.services import DEADLINE_RECTIFICATION
    from ciqcredit.rules.grading import ACTION_RULE_LABELS

    other_deadlines = {DEADLINE_OBJECTION: "异议复核期限", DEADLINE_RECTIFICATION: "整改期限"}
    for named in (ACTION_RULE_LABELS, DEADLINE_KINDS, STEPS, other_deadlines):
        for value, label in named.items():
            labels.setdefault(value, label)
    return labels


@cache
def _field_names_anywhere() -> dict[str, str]:
    """Field name -> the first Chinese verbose name any model of the platform gives it."""
    names: dict[str, str] = {}
    for model in apps.get_models():
        if model.__module__.startswith("ciqcredit."):
            for field in model._meta.concrete_fields:
                if is_chinese(str(field.verbose_name)):
                    names.setdefault(field.name, str(field.verbose_name))
    return names


def field_label(target_type: str, key: str) -> str:
    """The target model's Chinese field name, else the audit label of the key, else any model's name for it."""
    field = _field(target_type, key)
    label = str(getattr(field, "verbose_name", "")) if field is not None else ""
    if is_chinese(label):
        return label
    return FIELD_LABELS.get(key) or _field_names_anywhere().get(key, key)


def value_label(key: str, value: str) -> str:
    """A slug stored without its field (a cause in a grade change, a deadline's kind): its Chinese label."""
    known = KEY_VALUES.get(key, {})
    if value in known:
        return known[value]
    return _all_choice_labels().get(value, value)


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    parts = action.split(".")
    if len(parts) < 3:
        return action
    verb = ACTION_VERBS.get(parts[-1])
    if verb is None:
        return action
    subject = ".".join(parts[:2])
    return f"{ACTION_SUBJECTS.get(subject) or target_type_label(subject)}{verb}"


def _field(target_type: str, name: str) -> Any:
    try:
        return apps.get_model(target_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


LIST_SHOWN = 10  # a long list (a bulk confirmation's codes) shows its first items and its length
_SLUG = re.compile(r"[a-z][a-z_.]*")
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _show_field(key: str, field: Any, value: Any, labels: dict[str, str] | None) -> str:
    """A stored value as text; a choice shows its label (`bureau` -> 直属局, `importer` -> 进口企业)."""
    choices = labels or dict(getattr(field, "flatchoices", None) or ())
    if choices and isinstance(value, str) and value in choices:
        return str(choices[value])
    if choices and isinstance(value, list | tuple):
        return "、".join(str(choices.get(v, v)) for v in value) or "—"
    if isinstance(field, models.FileField) and isinstance(value, str) and value:
        return value.rsplit("/", 1)[-1]  # the file's name, not where the storage keeps it
    if key in PERSON_KEYS and isinstance(value, str) and value:
        return actor_label(value)
    if key in PERSON_KEYS and isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return "、".join(actor_label(v) for v in value) or "—"
    if key in ORGANIZATION_KEYS and isinstance(value, str) and value:
        from ciqcredit.organizations.people import organization_name_of

        return organization_name_of(value)
    return _show(value, key)


def _show(value: Any, key: str = "") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        shown = "、".join(_show(v, key) for v in value[:LIST_SHOWN]) or "—"
        return f"{shown} 等共 {len(value)} 项" if len(value) > LIST_SHOWN else shown
    if isinstance(value, dict) and {"label", "holds"} <= value.keys():
        # A condition checked (AA eligibility, credit repair): its wording, whether it held and on what facts.
        detail = f"（{value['detail']}）" if value.get("detail") else ""
        return f"{value['label']}：{'符合' if value['holds'] else '不符合'}{detail}"
    if isinstance(value, dict):
        return "；".join(f"{FIELD_LABELS.get(k, value_label(k, k))}：{_show(v, k)}" for k, v in value.items())
    if isinstance(value, str) and _SLUG.fullmatch(value):
        return value_label(key, value)
    if isinstance(value, str) and _INSTANT.match(value):
        try:
            instant = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        from django.utils import timezone

        return timezone.localtime(instant).strftime("%Y-%m-%d %H:%M:%S") if instant.tzinfo else value
    return str(value)


_CODED_DEADLINE = re.compile(r"^([a-z][a-z_.]*) ([a-z_]+\.[a-z_]+):(\S+) 截止 (\S+)$")


def target_label(entry: AuditEntry) -> str:
    """The object's name as stored with the row; a deadline stored as `kind type:id 截止 date` (rows written before
    deadlines were named by their target) reads as its kind and target in Chinese."""
    label = entry.target_label or entry.target_id
    coded = _CODED_DEADLINE.match(label) if entry.target_type == "workdays.deadline" else None
    if coded is None:
        return label
    kind, target_type, target_id, due = coded.groups()
    return f"{value_label('kind', kind)}（{target_type_label(target_type)} {target_id}）截止 {due}"


def entry_changes(entry: AuditEntry) -> list[dict[str, str]]:
    """One line per field: label, old value, new value (as text)."""
    old = entry.old if isinstance(entry.old, dict) else {}
    new = entry.new if isinstance(entry.new, dict) else {}
    keys = list(dict.fromkeys([*new.keys(), *old.keys()]))
    lines = []
    for key in keys:
        field = _field(*FIELD_OF.get((entry.action, key), (entry.target_type, key)))
        labels = VALUE_LABELS.get((entry.target_type, key))
        lines.append(
            {
                "field": key,
                "label": field_label(entry.target_type, key),
                "old": _show_field(key, field, old.get(key), labels) if key in old else "",
                "new": _show_field(key, field, new.get(key), labels) if key in new else "",
            }
        )
    return lines
