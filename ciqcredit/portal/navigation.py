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
