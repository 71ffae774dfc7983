from django import template

from ciqcredit.audit.models import AuditEntry
from ciqcredit.web.audit import presentation

register = template.Library()


@register.filter
def audit_action(action: str) -> str:
    return presentation.action_label(action)


@register.filter
def audit_target_type(target_type: str) -> str:
    return presentation.target_type_label(target_type)


@register.filter
def audit_changes(entry: AuditEntry) -> list[dict[str, str]]:
    return presentation.entry_changes(entry)


@register.filter
def audit_target(entry: AuditEntry | None) -> str:
    return presentation.target_label(entry) if isinstance(entry, AuditEntry) else ""
