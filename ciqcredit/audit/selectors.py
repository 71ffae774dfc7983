"""Reads of the audit trail that need no scoping: callers check access to the object first.

The scoped reads behind the audit pages (a user's subtree, one object's trail after checking the object
is visible) sit with those pages in ciqcredit.web.audit, which may see every app's scoping."""

from django.db.models import QuerySet

from ciqcredit.audit.models import AuditEntry


def audit_trail_for(target_type: str, target_id: str) -> QuerySet[AuditEntry]:
    """The trail of one object. Callers check access to the object itself first."""
    return AuditEntry.objects.filter(target_type=target_type, target_id=str(target_id)).select_related(
        "organization", "actor"
    )
