"""Who may call what: every tracking endpoint and page against the cast, as data."""

from ciqcredit.actors import Actor
from ciqcredit.organizations.services import api_client_create


def _token(cast, scopes) -> str:
    return api_client_create(
        name=f"c-{'-'.join(scopes) or 'none'}", organization=cast.bureau_a, scopes=scopes, actor=Actor(system="t")
    )[1]


def test_intake_takes_only_the_eciq_intake_scope(track):
    d = track.decision()
    body = {"items": [track.report(d)]}
    for scope in ("eciq_decision", "sharing_read", "enterprise_sync", "external_intake"):
        response = track.cast.api(_token(track.cast, [scope])).post(
            "/api/v1/intake/executions", body, content_type="application/json"
        )
        assert response.status_code == 403 and response.json()["code"] == "missing_scope"
    assert (
        track.cast.api(None).post("/api/v1/intake/executions", body, content_type="application/json").status_code == 401
    )
    staff = track.cast.api(track.cast.staff_token_a).post(
        "/api/v1/intake/executions", body, content_type="application/json"
    )
    assert staff.status_code == 403
    assert track.send(body["items"], _token(track.cast, ["eciq_intake"])).status_code == 200


READERS = {"hq_admin": 200, "bureau_a_user": 200, "branch_credit": 200, "hq_customs": 200}
OUTSIDERS_404 = {"bureau_b_user", "hq_inspection"}  # staff who may read tracking but not this item
REFUSED = {"enterprise_user", "branch_a_user"}  # an enterprise user; a collector (no tracking role)


def _people(track):
    c = track.cast
    return {
        "hq_admin": c.hq_admin,
        "bureau_a_user": c.bureau_a_user,
        "branch_credit": track.branch_credit,
        "hq_customs": track.hq_customs,
        "hq_inspection": track.hq_inspection,
        "bureau_b_user": c.bureau_b_user,
        "enterprise_user": c.enterprise_user,
        "branch_a_user": c.branch_a_user,
    }


def test_item_pages_and_endpoints_by_person(track, item):
    urls = [f"/tracking/items/{item.pk}/", f"/api/v1/tracking/items/{item.pk}"]
    for name, user in _people(track).items():
        client = track.cast.client_for(user)
        for url in urls:
            status = client.get(url).status_code
            expected = READERS.get(name) or (404 if name in OUTSIDERS_404 else 403)
            assert status == expected, (name, url, status)
        lists = [
            client.get("/tracking/").status_code,
            client.get("/api/v1/tracking/items").status_code,
            client.get("/tracking/figures/").status_code,
            client.get("/api/v1/tracking/figures").status_code,
        ]
        assert lists == ([403] * 4 if name in REFUSED else [200] * 4), (name, lists)
    anonymous = track.cast.client_for(None)
    assert anonymous.get("/tracking/").status_code == 302
    assert anonymous.get("/api/v1/tracking/items").status_code == 401
    for scope_token in (track.cast.api_token,):  # an API client with every scope still reads no tracking item
        assert track.cast.api(scope_token).get(f"/api/v1/tracking/items/{item.pk}").status_code == 403


def test_list_and_figures_stay_inside_the_caller_s_scope(track, item):
    bureau_b = track.cast.client_for(track.cast.bureau_b_user)
    assert bureau_b.get("/api/v1/tracking/items").json() == []
    assert bureau_b.get("/api/v1/tracking/figures?org=475200").status_code == 404
    assert track.cast.client_for(track.hq_inspection).get("/api/v1/tracking/items").json() == []
    mine = track.cast.client_for(track.hq_customs).get("/api/v1/tracking/items").json()
    assert [i["id"] for i in mine] == [item.pk]


def test_workflow_endpoints_refuse_the_wrong_step_holder(track, item):
    branch = track.cast.client_for(track.branch_credit)
    bureau = track.cast.client_for(track.cast.bureau_a_user)
    hq = track.cast.client_for(track.hq_customs)
    url = f"/api/v1/tracking/items/{item.pk}"
    assert (
        bureau.post(f"{url}/answer", {"cause": "a", "rectification": "b"}, content_type="application/json").status_code
        == 403
    )
    assert (
        branch.post(f"{url}/answer", {"cause": "a", "rectification": "b"}, content_type="application/json").status_code
        == 200
    )
    assert branch.post(f"{url}/forward", {}, content_type="application/json").status_code == 403
    assert hq.post(f"{url}/close", {}, content_type="application/json").status_code == 409  # not forwarded yet
    assert bureau.post(f"{url}/forward", {"note": "属实"}, content_type="application/json").status_code == 200
    assert branch.post(f"{url}/close", {}, content_type="application/json").status_code == 403
    done = hq.post(f"{url}/close", {"note": "已知悉"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "closed"
    assert [t["to_status"] for t in done.json()["transitions"]] == ["open", "answered", "forwarded", "closed"]
