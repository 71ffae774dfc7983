"""Who may call what: the permission matrix of result application, as data."""

import pytest

from ciqcredit.application.tests.conftest import SYSTEM, party, set_grade
from ciqcredit.organizations.roles import Scope
from ciqcredit.organizations.services import api_client_create

OTHER_SCOPES = [s for s in Scope.values if s != Scope.ECIQ_DECISION]


def _token(cast, scopes, org=None) -> str:
    _, token = api_client_create(
        name=f"client-{'-'.join(scopes)}-{(org or cast.bureau_a).code}",
        organization=org or cast.bureau_a,
        scopes=scopes,
        actor=SYSTEM,
    )
    return token


def _decision(world) -> int:
    set_grade(world.enterprises[1], "B")
    return world.decide(
        {"declaration_no": "ACL-1", "parties": [party(world.enterprises[1])], "org_code": "475200"}
    ).json()["decision_id"]


def _call(client, method: str, url: str, body=None):
    if method == "POST":
        return client.post(url, body or {}, content_type="application/json")
    return client.get(url)


def _endpoints(world, decision_id):
    single = {"declaration_no": "ACL-2", "parties": [party(world.enterprises[1])]}
    return {
        "decide": ("POST", "/api/v1/decisions", single),
        "batch": ("POST", "/api/v1/decisions/batch", {"items": [single]}),
        "changes": ("GET", "/api/v1/changes", None),
        "list": ("GET", "/api/v1/decisions", None),
        "detail": ("GET", f"/api/v1/decisions/{decision_id}", None),
    }


# endpoint → the scopes that open it (every other scope is refused with missing_scope)
ALLOWED_SCOPES = {
    "decide": {Scope.ECIQ_DECISION},
    "batch": {Scope.ECIQ_DECISION},
    "changes": {Scope.ECIQ_DECISION, Scope.SHARING_READ},
    "list": {Scope.ECIQ_DECISION},
    "detail": {Scope.ECIQ_DECISION},
}
# endpoint → the staff of the cast let in (by attribute); anyone else of the cast is refused
ALLOWED_STAFF = {
    "decide": set(),
    "batch": set(),
    "changes": set(),
    "list": {"hq_admin", "bureau_a_user"},
    "detail": {"hq_admin", "bureau_a_user"},
}
PEOPLE = ["hq_admin", "hq_rules", "bureau_a_user", "branch_a_user", "branch_a_reviewer", "enterprise_user"]


@pytest.mark.parametrize("scope", list(Scope.values))
@pytest.mark.parametrize("endpoint", list(ALLOWED_SCOPES))
def test_scopes(world, cast, endpoint, scope):
    decision_id = _decision(world)
    method, url, body = _endpoints(world, decision_id)[endpoint]
    response = _call(cast.api(_token(cast, [scope], org=cast.hq)), method, url, body)
    if scope in ALLOWED_SCOPES[endpoint]:
        assert response.status_code == 200, response.content[:300]
    else:
        assert response.status_code == 403, (scope, response.content[:300])
        assert response.json()["code"] == "missing_scope"


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("endpoint", list(ALLOWED_STAFF))
def test_staff_sessions(world, cast, endpoint, person):
    decision_id = _decision(world)
    method, url, body = _endpoints(world, decision_id)[endpoint]
    response = _call(cast.client_for(getattr(cast, person)), method, url, body)
    if person in ALLOWED_STAFF[endpoint]:
        assert response.status_code == 200, response.content[:300]
    else:
        assert response.status_code == 403, (person, response.status_code, response.content[:300])


def test_decisions_are_scoped_to_the_organization_subtree(world, cast):
    decision_id = _decision(world)
    b_client = cast.client_for(cast.bureau_b_user)
    assert b_client.get(f"/api/v1/decisions/{decision_id}").status_code == 404
    assert b_client.get("/api/v1/decisions").json() == []
    assert [d["decision_id"] for d in cast.client_for(cast.bureau_a_user).get("/api/v1/decisions").json()] == [
        decision_id
    ]
    b_system = cast.api(_token(cast, [Scope.ECIQ_DECISION], org=cast.bureau_b))
    assert b_system.get(f"/api/v1/decisions/{decision_id}").status_code == 404


def test_measures_need_a_grade_reading_scope(world, cast):
    url = f"/api/v1/enterprises/{cast.enterprise.credit_code}/measures"
    assert cast.api(_token(cast, [Scope.ENTERPRISE_SYNC])).get(url).status_code == 403
    assert cast.api(_token(cast, [Scope.ECIQ_DECISION])).get(url).status_code == 200
    assert cast.client_for(cast.branch_a_user).get(url).status_code == 200
    assert cast.client_for(cast.enterprise_user).get(url).status_code == 200  # its own enterprise
    assert cast.client_for(cast.bureau_b_user).get(url).status_code == 404
