from django.db.models import QuerySet

from ciqcredit.jobs.models import Job
from ciqcredit.organizations.access import org_scope_q
from ciqcredit.organizations.models import User


def jobs_visible_to(user: User) -> QuerySet[Job]:
    """Jobs started in the user's organization subtree (HQ: all)."""
    if user.is_enterprise_user or user.is_system:
        return Job.objects.none()
    return Job.objects.filter(org_scope_q(user, "organization")).select_related("started_by", "organization")
