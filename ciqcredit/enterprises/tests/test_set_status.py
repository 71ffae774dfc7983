"""enterprise_set_status: cancelling (注销) an enterprise is an audited update within the caller's scope."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.enterprises.services import enterprise_set_status
from ciqcredit.errors import DomainError, Forbidden, NotFound


def test_cancel_is_audited_and_repeating_it_changes_nothing(cast):
    enterprise, outcome = enterprise_set_status(
        enterprise=cast.enterprise, status="cancelled", actor=Actor.of(cast.bureau_a_user)
    )
    audits = AuditEntry.objects.count()
    _, again = enterprise_set_status(enterprise=enterprise, status="cancelled", actor=Actor.of(cast.bureau_a_user))

    assert (outcome, again, enterprise.status) == ("updated", "unchanged", "cancelled")
    entry = AuditEntry.objects.filter(action="enterprises.enterprise.updated").latest("id")
    assert (entry.old, entry.new, entry.organization) == ({"status": "active"}, {"status": "cancelled"}, cast.branch_a)
    assert AuditEntry.objects.count() == audits


def test_outsiders_and_bad_status_are_refused(cast):
    with pytest.raises(NotFound):
        enterprise_set_status(enterprise=cast.enterprise, status="cancelled", actor=Actor.of(cast.bureau_b_user))
    with pytest.raises(Forbidden):
        enterprise_set_status(enterprise=cast.enterprise, status="cancelled", actor=Actor.of(cast.enterprise_user))
    with pytest.raises(DomainError) as raised:
        enterprise_set_status(enterprise=cast.enterprise, status="closed", actor=Actor.of(cast.bureau_a_user))
    assert raised.value.status == 422 and raised.value.details["errors"][0]["code"] == "bad_status"
    cast.enterprise.refresh_from_db()
    assert cast.enterprise.status == "active"
