"""The navigation bar, by role: data, so that each capability adds its entries in one place."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from ciqcredit.organizations.roles import STAFF_ROLES, Role


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset[str]


ALL_STAFF = frozenset(STAFF_ROLES)

NAVIGATION: list[NavEntry] = [
    NavEntry("首页", "web:home", ALL_STAFF | {Role.ENTERPRISE}),
    NavEntry("企业", "enterprises:list", ALL_STAFF),
    NavEntry("信用规则", "catalogue:home", ALL_STAFF),
    NavEntry("工作日历", "workdays:home", ALL_STAFF),
    NavEntry("审计日志", "audit:list", frozenset({Role.HQ_ADMIN, Role.BUREAU_CREDIT, Role.SUPERVISOR})),
]


def navigation_for(user) -> list[dict[str, str]]:
    entries = []
    for entry in NAVIGATION:
        if not user.has_role(*entry.roles):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:  # the capability's pages are not wired yet
            continue
        entries.append({"label": entry.label, "url": url, "name": entry.url_name})
    return entries
