"""Who may read which audit rows: the subtree rule, and one object's trail behind the object's own scoping."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.audit.services import audit_log
from ciqcredit.errors import NotFound
from ciqcredit.web.audit.selectors import audit_entries_visible_to, audit_trail_visible_to


def _orgs(queryset) -> set[str | None]:
    return {e.organization.code if e.organization else None for e in queryset.select_related("organization")}


def test_bureau_sees_itself_and_its_branches_only(cast):
    assert _orgs(audit_entries_visible_to(cast.bureau_a_user)) == {"470000", "475200"}
    assert _orgs(audit_entries_visible_to(cast.branch_a_user)) == {"475200"}
    assert _orgs(audit_entries_visible_to(cast.bureau_b_user)) == {"110000"}


def test_hq_sees_everything_including_rows_without_organization(cast):
    assert audit_entries_visible_to(cast.hq_admin).count() == AuditEntry.objects.count()


def test_enterprise_users_and_systems_see_no_rows(cast):
    assert not audit_entries_visible_to(cast.enterprise_user).exists()
    assert not audit_entries_visible_to(cast.api_client).exists()


def test_enterprise_trail_follows_enterprise_scope_and_includes_rows_of_other_organizations(cast):
    # A change by HQ is recorded under HQ; the bureau that owns the enterprise still sees it in the trail.
    audit_log(
        actor=Actor.of(cast.hq_admin),
        action="enterprises.enterprise.updated",
        target=cast.enterprise,
        new={"name": "x"},
    )
    trail = audit_trail_visible_to(cast.bureau_a_user, "enterprises.enterprise", str(cast.enterprise.pk))
    assert [e.actor_label for e in trail] == ["hq_admin"]
    with pytest.raises(NotFound):
        audit_trail_visible_to(cast.bureau_b_user, "enterprises.enterprise", str(cast.enterprise.pk))


@pytest.mark.parametrize("target_id", ["999999", "not-a-number"])
def test_unknown_enterprise_is_not_found(cast, target_id):
    with pytest.raises(NotFound):
        audit_trail_visible_to(cast.hq_admin, "enterprises.enterprise", target_id)


def test_other_types_show_only_rows_in_scope(cast):
    # The user a_credit was created under bureau A; bureau B has no row about it.
    trail = audit_trail_visible_to(cast.bureau_a_user, "organizations.user", str(cast.bureau_a_user.pk))
    assert [e.action for e in trail] == ["organizations.user.created"]
    with pytest.raises(NotFound):
        audit_trail_visible_to(cast.bureau_b_user, "organizations.user", str(cast.bureau_a_user.pk))
