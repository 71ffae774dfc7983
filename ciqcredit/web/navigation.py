"""The navigation bar and the home page's shortcuts, by role: data, so each capability adds its entries here."""

from dataclasses import dataclass

from django.urls import reverse

from ciqcredit.organizations.roles import STAFF_ROLES, Role
from ciqcredit.portal.navigation import portal_navigation


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset[str]
    description: str = ""  # shown as a shortcut on the home page; empty: navigation bar only


ALL_STAFF = frozenset(STAFF_ROLES)
AUDIT_READERS = frozenset({Role.HQ_ADMIN, Role.BUREAU_CREDIT, Role.SUPERVISOR})

NAVIGATION: list[NavEntry] = [
    NavEntry("首页", "web:home", ALL_STAFF),
    NavEntry("企业", "enterprises:list", ALL_STAFF, "按名称、信用代码、备案号检索辖区内企业，查看基本信息和变更历史"),
    NavEntry("我的待办", "collection:queue", ALL_STAFF, "待审核确认的信息、草稿、逾期事项和待送达的书面告知"),
    NavEntry("信用信息", "collection:list", ALL_STAFF, "按途径采集信用信息，检索、查看历史与导出"),
    NavEntry("信用评定", "rating:home", ALL_STAFF, "周期评定、确认调整、等级分布、AA级与重点企业"),
    NavEntry("结果应用", "application:measures", ALL_STAFF, "按信用等级实施的差异化措施及其应用情况"),
    NavEntry("信用规则", "catalogue:home", ALL_STAFF, "查看信用信息采集条目、评定规则和差异化管理措施"),
    NavEntry(
        "动态管理",
        "dynamic:cases",
        frozenset({Role.HQ_ADMIN, Role.BUREAU_CREDIT, Role.SUPERVISOR}),
        "降级、严重失信名单案件：书面告知、送达、陈述申辩、报送与审批",
    ),
    NavEntry(
        "修复与证明",
        "repair:list",
        frozenset({Role.HQ_ADMIN, Role.BUREAU_CREDIT, Role.SUPERVISOR}),
        "企业在线提交的信用修复申请的受理审核，信用等级证明的出具、打印与撤销",
    ),
    NavEntry(
        "督查",
        "oversight:home",
        frozenset({Role.HQ_ADMIN, Role.BUREAU_CREDIT, Role.SUPERVISOR, Role.VIEWER}),
        "六项督查数据及明细、督查和自查计划、检查表、整改任务与督查通报，人员配置与培训",
    ),
    NavEntry(
        "信用共享",
        "sharing:lists",
        frozenset({Role.HQ_ADMIN, Role.BUREAU_CREDIT, Role.SUPERVISOR, Role.VIEWER}),
        "合作部门名单及其版本、联合奖惩措施；总局：共享协议、访问日志与反馈",
    ),
    NavEntry("工作日历", "workdays:home", ALL_STAFF, "查看法定节假日和调休工作日，计算期限"),
    NavEntry("审计日志", "audit:list", AUDIT_READERS, "查看辖区内的全部操作记录"),
    NavEntry("接口令牌", "accounts:tokens", frozenset({Role.HQ_ADMIN}), "接口令牌的有效期与最近使用时间"),
]


def _entries_for(user) -> list[tuple[NavEntry, str]]:
    found = []
    for entry in NAVIGATION:
        if not user.has_role(*entry.roles):
            continue
        found.append((entry, reverse(entry.url_name)))
    return found


def navigation_for(user) -> list[dict[str, str]]:
    if user.is_enterprise_user:  # an enterprise user works in the portal, whose navigation is its own
        return [{**e, "namespace": e["name"]} for e in portal_navigation()]
    return [
        {"label": e.label, "url": url, "name": e.url_name, "namespace": e.url_name.split(":")[0]}
        for e, url in _entries_for(user)
    ]


def shortcuts_for(user) -> list[dict[str, str]]:
    return [
        {"label": e.label, "url": url, "description": e.description} for e, url in _entries_for(user) if e.description
    ]
