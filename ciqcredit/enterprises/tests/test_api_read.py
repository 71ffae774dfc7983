"""GET /api/v1/enterprises and /{credit_code}: scoped to the caller's organization subtree."""

from ciqcredit.actors import Actor
from ciqcredit.organizations.roles import Scope
from ciqcredit.organizations.services import api_client_create
from ciqcredit.testing import make_enterprise


def codes(response) -> list[str]:
    return [item["credit_code"] for item in response.json()["items"]]


def test_list_is_scoped_and_filtered(cast):
    b_enterprise = make_enterprise(700, cast.bureau_b, name="北京测试贸易有限公司", types=("exporter",))
    a_cancelled = make_enterprise(701, cast.bureau_a, name="深圳注销公司", status="cancelled")

    as_b = cast.client_for(cast.bureau_b_user).get("/api/v1/enterprises")
    as_a = cast.api(cast.staff_token_a).get("/api/v1/enterprises")
    as_hq = cast.client_for(cast.hq_admin).get("/api/v1/enterprises", {"org": "110000"})
    by_text = cast.client_for(cast.hq_admin).get("/api/v1/enterprises", {"q": "皇岗"})
    by_status = cast.client_for(cast.hq_admin).get("/api/v1/enterprises", {"status": "cancelled", "type": "importer"})
    paged = cast.client_for(cast.hq_admin).get("/api/v1/enterprises", {"limit": 1, "offset": 1})

    assert codes(as_b) == [b_enterprise.credit_code] and as_b.json()["count"] == 1
    assert set(codes(as_a)) == {cast.enterprise.credit_code, a_cancelled.credit_code}
    assert codes(as_hq) == [b_enterprise.credit_code]
    assert codes(by_text) == [cast.enterprise.credit_code]
    assert codes(by_status) == [a_cancelled.credit_code]
    assert paged.json()["count"] == 3 and len(paged.json()["items"]) == 1
    item = as_b.json()["items"][0]
    assert item["registering_org"] == "110000" and item["types"] == ["exporter"] and item["id"] == b_enterprise.id
    assert cast.client_for(cast.hq_admin).get("/api/v1/enterprises", {"type": "smuggler"}).status_code == 422


def test_detail_outside_scope_is_404(cast):
    code = cast.enterprise.credit_code  # registered at the branch of bureau A
    url = f"/api/v1/enterprises/{code}"

    assert cast.client_for(cast.branch_a_user).get(url).json()["credit_code"] == code
    assert cast.api(cast.api_token).get(url).status_code == 200
    response = cast.client_for(cast.bureau_b_user).get(url)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_enterprise_user_sees_only_its_own(cast):
    other = make_enterprise(702, cast.branch_a)
    client = cast.client_for(cast.enterprise_user)

    assert codes(client.get("/api/v1/enterprises")) == [cast.enterprise.credit_code]
    assert client.get(f"/api/v1/enterprises/{cast.enterprise.credit_code}").status_code == 200
    assert client.get(f"/api/v1/enterprises/{other.credit_code}").status_code == 404


def test_who_may_read(cast):
    _, intake_token = api_client_create(
        name="eciq-only", organization=cast.bureau_a, scopes=[Scope.ECIQ_INTAKE], actor=Actor.of(cast.hq_admin)
    )
    _, sharing_token = api_client_create(
        name="sharing", organization=cast.bureau_a, scopes=[Scope.SHARING_READ], actor=Actor.of(cast.hq_admin)
    )

    assert cast.api(None).get("/api/v1/enterprises").status_code == 401
    refused = cast.api(intake_token).get("/api/v1/enterprises")
    assert refused.status_code == 403 and refused.json()["code"] == "missing_scope"
    assert cast.api(sharing_token).get("/api/v1/enterprises").status_code == 200
