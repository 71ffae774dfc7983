"""The portal's navigation: data, so each capability of the enterprise's side adds its entry.

A module that adds portal pages appends a `PortalEntry` (from its own code, or its app's `ready()`, through
`portal_entry_add`); the portal's base page and the main navigation of an enterprise user list them in `order`.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class PortalEntry:
    label: str
    url_name: str
    order: int
    description: str = ""  # shown on the portal's home page as a shortcut; empty: navigation only


PORTAL_NAVIGATION: list[PortalEntry] = [
    PortalEntry("企业首页", "portal:home", 10),
    PortalEntry("信用等级", "portal:grade", 20, "现行信用等级、评定依据（计分的信用信息、规则版本）和等级历史"),
    PortalEntry("信用信息", "portal:records", 30, "本企业的信用信息及其状态；对生效信息在期限内提出异议"),
    PortalEntry("管理措施", "portal:measures", 40, "按现行信用等级适用的差异化管理措施"),
    PortalEntry("书面告知", "portal:notices", 50, "查阅发送至本企业账户的书面告知书（查阅即视为送达）"),
    PortalEntry("案件与期限", "portal:cases", 60, "动态管理案件、期限和陈述申辩"),
    PortalEntry("我的异议", "portal:objections", 70, "已提出的异议及复核结果"),
]


def portal_entry_add(entry: PortalEntry) -> None:
    """Add (or replace, by URL name) an entry of the portal's navigation."""
    PORTAL_NAVIGATION[:] = [e for e in PORTAL_NAVIGATION if e.url_name != entry.url_name] + [entry]
    PORTAL_NAVIGATION.sort(key=lambda e: (e.order, e.url_name))


def portal_navigation() -> list[dict[str, str]]:
    return [
        {"label": e.label, "url": reverse(e.url_name), "name": e.url_name, "description": e.description}
        for e in PORTAL_NAVIGATION
    ]
