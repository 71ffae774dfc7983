from typing import Any

from django import template

from ciqcredit.web.audit.presentation import actor_label

register = template.Library()


@register.filter
def person(label: str, user: Any = None) -> str:
    """`{{ row.decided_by_label|person }}`, or `{{ row.actor_label|person:row.actor }}` when the user is at hand."""
    return actor_label(label or "", user) if label else "—"
