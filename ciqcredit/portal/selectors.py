"""What the portal reads about the enterprise of its user: only that enterprise, never staff names, internal ids
or results not yet confirmed. Each function takes the enterprise found by `access.enterprise_of`."""

from typing import Any

from ciqcredit import clock
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.rating.models import GradeCause
from ciqcredit.rating.services.grades import grade_on


def grade_in_force(enterprise: Enterprise) -> dict[str, Any]:
    """The grade in force today (confirmed: a result waiting for confirmation is not a grade yet)."""
    current = grade_on(enterprise, clock.today())
    return {
        "grade": current.grade,
        "effective_from": current.effective_from,
        "cause_label": GradeCause(current.cause).label if current.cause else "",
        "ruleset_version": current.ruleset_version,
    }


def enterprise_summary(enterprise: Enterprise) -> dict[str, Any]:
    """The enterprise as it sees itself, with its grade in force (`GET /api/v1/me`, the portal's home)."""
    return {
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "ciq_registration_no": enterprise.ciq_registration_no,
        "address": enterprise.address,
        "type_labels": list(enterprise.type_labels),
        "registering_organization": enterprise.registering_org.name,
        "status_label": enterprise.get_status_display(),
        "grade": grade_in_force(enterprise),
    }
