"""Scoped reads of the audit trail for the audit pages: the caller's organization subtree (HQ: all)."""

from importlib import import_module

from django.db.models import QuerySet

from ciqcredit.audit.models import AuditEntry
from ciqcredit.audit.selectors import audit_trail_for
from ciqcredit.errors import NotFound
from ciqcredit.organizations.access import org_scope_q
from ciqcredit.organizations.models import User

# Object types whose visibility is the object's own scoping rather than the audit rows' organizations:
# target_type -> "module:function" returning the objects of that type the user may see (user -> QuerySet).
# Each app that owns an organization-scoped object adds its selector here.
SCOPED_TARGET_TYPES: dict[str, str] = {
    "enterprises.enterprise": "ciqcredit.enterprises.selectors:enterprises_visible_to",
    "collection.creditrecord": "ciqcredit.collection.selectors:records_visible_to",
}


def audit_entries_visible_to(user: User) -> QuerySet[AuditEntry]:
    """Rows recorded for the user's organization subtree; HQ sees all, including rows of no organization."""
    if user.is_enterprise_user or user.is_system:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(org_scope_q(user, "organization"))


def _visible_objects(target_type: str, user: User) -> QuerySet | None:
    target = SCOPED_TARGET_TYPES.get(target_type)
    if target is None:
        return None
    module_name, func_name = target.split(":")
    return getattr(import_module(module_name), func_name)(user)


def audit_trail_visible_to(user: User, target_type: str, target_id: str) -> QuerySet[AuditEntry]:
    """One object's trail, after checking the user may see the object; NotFound when not (or when absent).

    A registered type is checked through its own scoped selector and then shows its whole trail; any other
    type shows the rows of the user's subtree, and is absent when none is.
    """
    visible = _visible_objects(target_type, user)
    if visible is not None:
        try:
            found = visible.filter(pk=target_id).exists()
        except (ValueError, TypeError):  # not a key of that type at all
            found = False
        if not found or user.is_enterprise_user or user.is_system:
            raise NotFound("对象")
        return audit_trail_for(target_type, target_id)
    trail = audit_entries_visible_to(user).filter(target_type=target_type, target_id=str(target_id))
    if not trail.exists():
        raise NotFound("对象")
    return trail.select_related("organization", "actor")
