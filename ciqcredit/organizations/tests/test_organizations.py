import pytest

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.errors import DomainError
from ciqcredit.organizations.models import Organization
from ciqcredit.organizations.services import organization_create, reference_organizations_load, user_create


def test_reference_load_seeds_hq_and_35_bureaus_once(db):
    from ciqcredit.conftest import SETUP

    assert reference_organizations_load(actor=SETUP) == 36
    assert reference_organizations_load(actor=SETUP) == 0
    assert Organization.objects.filter(level="bureau").count() == 35
    assert Organization.objects.get(code="470000").parent.code == "000000"
    assert AuditEntry.objects.filter(action="organizations.organization.created").count() == 36


def test_branch_path_and_scope(cast):
    assert cast.branch_a.level == "branch"
    assert cast.branch_a.path == "000000/470000/475200/"
    assert cast.branch_a.is_within(cast.bureau_a)
    assert not cast.branch_a.is_within(cast.bureau_b)


@pytest.mark.parametrize(
    ("code", "parent", "error"),
    [
        ("47520", "470000", "bad_org_code"),
        ("47520A", "470000", "bad_org_code"),
        ("475300", "999999", "unknown_org_code"),
        ("475200", "470000", "duplicate_org_code"),
        ("475201", "475200", "bad_parent"),
    ],
)
def test_organization_create_refusals(cast, code, parent, error):
    from ciqcredit.conftest import SETUP

    with pytest.raises(DomainError) as exc:
        organization_create(code=code, name="某局", parent_code=parent, actor=SETUP)
    assert exc.value.code == error


def test_hq_roles_only_at_hq(cast):
    from ciqcredit.conftest import SETUP

    with pytest.raises(DomainError) as exc:
        user_create(username="x", organization=cast.bureau_a, department_kind=None, roles=["hq_admin"], actor=SETUP)
    assert exc.value.code == "role_needs_hq"


def test_enterprise_user_needs_an_enterprise(cast):
    from ciqcredit.conftest import SETUP

    with pytest.raises(DomainError) as exc:
        user_create(username="y", organization=cast.branch_a, department_kind=None, roles=["enterprise"], actor=SETUP)
    assert exc.value.code == "missing_enterprise"


def test_organizations_api_is_scoped(cast):
    codes = lambda resp: {item["code"] for item in resp.json()["items"]}  # noqa: E731
    hq = cast.client_for(cast.hq_admin).get("/api/v1/organizations")
    assert hq.status_code == 200 and hq.json()["count"] == 37
    a = cast.client_for(cast.bureau_a_user).get("/api/v1/organizations")
    assert codes(a) == {"470000", "475200"}
    branch = cast.client_for(cast.branch_a_user).get("/api/v1/organizations")
    assert codes(branch) == {"475200"}
    assert cast.client_for(cast.enterprise_user).get("/api/v1/organizations").json()["count"] == 0
    anon = cast.client_for(None).get("/api/v1/organizations")
    assert anon.status_code == 401 and anon.json()["code"] == "unauthenticated"


def test_bearer_tokens_authenticate_and_bad_ones_do_not(cast):
    ok = cast.api(cast.staff_token_a).get("/api/v1/organizations")
    assert ok.status_code == 200
    assert {i["code"] for i in ok.json()["items"]} == {"470000", "475200"}
    bad = cast.api("ciq_not-a-real-token").get("/api/v1/organizations")
    assert bad.status_code == 401 and bad.json()["code"] == "unauthenticated"


def test_a_revoked_token_no_longer_authenticates_and_the_revocation_is_audited(cast):
    from ciqcredit.organizations.models import ApiToken
    from ciqcredit.organizations.services import token_revoke

    token = ApiToken.objects.get(user=cast.bureau_a_user)
    assert cast.api(cast.staff_token_a).get("/api/v1/organizations").status_code == 200
    token_revoke(token=token, actor=Actor.of(cast.hq_admin))
    assert cast.api(cast.staff_token_a).get("/api/v1/organizations").status_code == 401
    assert AuditEntry.objects.filter(action="organizations.token.revoked", target_id=str(token.pk)).count() == 1
    token_revoke(token=token, actor=Actor.of(cast.hq_admin))  # idempotent: no second row
    assert AuditEntry.objects.filter(action="organizations.token.revoked", target_id=str(token.pk)).count() == 1
