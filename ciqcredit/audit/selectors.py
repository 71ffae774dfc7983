from django.db.models import QuerySet

from ciqcredit.audit.models import AuditEntry


def audit_trail_for(target_type: str, target_id: str) -> QuerySet[AuditEntry]:
    """The trail of one object. Callers check access to the object itself first."""
    return AuditEntry.objects.filter(target_type=target_type, target_id=str(target_id)).select_related("organization")
