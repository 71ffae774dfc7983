"""Sections that apps above collection add to the queue page (我的待办), through one explicit hook.

The queue page is collection's, but a staff member's to-do list also holds work of higher apps (dynamic
management's notices to deliver). Such an app registers a section provider in its `AppConfig.ready()`;
each provider returns template context (for example `{"notices": [...]}`) that `collection/queue.html`
renders when present. The key `sections` is shared: each provider may add sections to it, each a dict with a
`template` (its own, rendered with `section`), and the page renders them all in order.
"""

from collections.abc import Callable
from typing import Any

from ciqcredit.organizations.models import User

QueueSection = Callable[[User, int], dict[str, Any]]

_sections: dict[str, QueueSection] = {}


def register_queue_section(name: str, provider: QueueSection) -> None:
    """Add (or replace, by name) a provider of queue-page context; called from AppConfig.ready()."""
    _sections[name] = provider


def queue_sections(user: User, limit: int) -> dict[str, Any]:
    """The context every registered section adds for `user`, each list cut at `limit` rows."""
    context: dict[str, Any] = {"sections": []}
    for provider in _sections.values():
        found = dict(provider(user, limit))
        context["sections"] += found.pop("sections", [])
        context.update(found)
    return context
