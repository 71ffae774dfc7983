"""How audit rows read on a page: action codes and field names in Chinese. Data, with the raw code as fallback."""

from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from ciqcredit.audit.models import AuditEntry
from ciqcredit.enterprises.types import EnterpriseType
from ciqcredit.organizations.roles import Role, Scope

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
    "organizations.user.logged_in": "登录",
    "organizations.user.logged_out": "退出登录",
    "organizations.user.login_failed": "登录失败",
    "organizations.user.password_changed": "修改密码",
    "organizations.user.password_reset": "管理员重置密码",
    "organizations.user.deactivated": "停用账号",
    "organizations.token.rotated": "接口令牌轮换",
}

# Subjects of action codes that are not a model's `app.model` (e.g. `collection.record` is a CreditRecord).
ACTION_SUBJECTS: dict[str, str] = {
    "collection.record": "信用信息",
    "collection.exclusion": "不予采集决定",
    "catalogue.item": "采集条目",
    "catalogue.measure": "差异化措施",
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
    "organizations.api_client": "系统接入账号",
    "organizations.token": "接口令牌",
    "organizations.staffing": "人员配置",
    "organizations.training": "培训记录",
}

# Slugs stored in JSON or delimited fields that have no model choices: (target type, field) -> slug labels.
VALUE_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("enterprises.enterprise", "types"): dict(EnterpriseType.choices),
    ("organizations.user", "roles"): dict(Role.choices),
    ("organizations.user", "scopes"): dict(Scope.choices),
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
}


def target_type_label(target_type: str) -> str:
    """`enterprises.enterprise` -> 企业 (the model's verbose name), else the code itself."""
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type


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


def _show_field(field: Any, value: Any, labels: dict[str, str] | None) -> str:
    """A stored value as text; a choice shows its label (`bureau` -> 直属局, `importer` -> 进口企业)."""
    choices = labels or dict(getattr(field, "flatchoices", None) or ())
    if choices and isinstance(value, str) and value in choices:
        return str(choices[value])
    if choices and isinstance(value, list | tuple):
        return "、".join(str(choices.get(v, v)) for v in value) or "—"
    return _show(value)


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(_show(v) for v in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{k}：{_show(v)}" for k, v in value.items())
    return str(value)


def entry_changes(entry: AuditEntry) -> list[dict[str, str]]:
    """One line per field: label, old value, new value (as text)."""
    old = entry.old if isinstance(entry.old, dict) else {}
    new = entry.new if isinstance(entry.new, dict) else {}
    keys = list(dict.fromkeys([*new.keys(), *old.keys()]))
    lines = []
    for key in keys:
        field = _field(entry.target_type, key)
        labels = VALUE_LABELS.get((entry.target_type, key))
        lines.append(
            {
                "field": key,
                "label": str(getattr(field, "verbose_name", key)) if field is not None else key,
                "old": _show_field(field, old.get(key), labels) if key in old else "",
                "new": _show_field(field, new.get(key), labels) if key in new else "",
            }
        )
    return lines
