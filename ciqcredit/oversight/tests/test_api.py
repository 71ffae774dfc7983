"""The figures API answers one JSON object in scope; outsiders are refused; drill-down counts equal the figures;
a plan can be run through the API to its circular."""

from django.core.files.uploadedfile import SimpleUploadedFile

PERIOD = "from=2017-10-01&to=2017-12-31"


def test_figures_in_scope_and_refused_outside(quarter):
    a = quarter.cast.api(quarter.staff_token_a)
    body = a.get(f"/api/v1/supervision/figures?org=470000&{PERIOD}").json()
    assert set(body) >= {"staffing", "collection", "review", "adjustment", "dynamic", "measures"}
    assert body["collection"]["late"] == 1
    assert a.get(f"/api/v1/supervision/figures?org=475200&{PERIOD}").json()["collection"]["collected"] == 2
    assert a.get(f"/api/v1/supervision/figures?{PERIOD}").json()["organization"]["code"] == "470000"
    # Bureau B's figures do not exist for bureau A; HQ sees everyone.
    outside = a.get(f"/api/v1/supervision/figures?org=110000&{PERIOD}")
    assert outside.status_code == 404 and outside.json()["code"] == "not_found"
    hq = quarter.cast.client_for(quarter.hq_admin)
    assert hq.get(f"/api/v1/supervision/figures?org=110000&{PERIOD}").json()["collection"]["collected"] == 1
    assert quarter.cast.api(None).get(f"/api/v1/supervision/figures?{PERIOD}").status_code == 401
    ent = quarter.cast.client_for(quarter.enterprise_user)
    assert ent.get(f"/api/v1/supervision/figures?{PERIOD}").status_code == 403
    bad = a.get("/api/v1/supervision/figures?org=470000&from=2017-10-01")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_period"


def test_drilldown_rows_equal_counts(quarter):
    a = quarter.cast.api(quarter.staff_token_a)
    body = a.get(f"/api/v1/supervision/figures?org=470000&{PERIOD}").json()
    for key in ("collection.late", "review.returned", "adjustment.unconfirmed", "dynamic.notices_late"):
        section, name = key.split(".")
        rows = a.get(f"/api/v1/supervision/figures/{key}/rows?org=470000&{PERIOD}").json()
        assert rows["count"] == len(rows["items"]) == body[section][name], key
    late = a.get(f"/api/v1/supervision/figures/collection.late/rows?org=470000&{PERIOD}").json()["items"]
    assert late[0]["late_days"] == 1 and late[0]["organization"] == "475200"


def test_plan_through_the_api_to_the_circular(quarter):
    sup = quarter.cast.client_for(quarter.supervisor_a)
    created = sup.post(
        "/api/v1/supervision/plans",
        {
            "mode": "inspection",
            "kind": "quarterly",
            "period_start": "2017-10-01",
            "period_end": "2017-12-31",
            "offices": ["475200"],
            "inspectors": ["a_supervisor"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    plan = created.json()
    [sheet] = plan["sheets"]
    for item in sheet["items"]:
        verdict = "noncompliant" if item["code"] == "6.2.4" else "compliant"
        r = sup.post(
            f"/api/v1/supervision/sheets/{sheet['id']}/items/{item['id']}",
            {"verdict": verdict, "notes": "告知书逾期送达" if verdict == "noncompliant" else ""},
            content_type="application/json",
        )
        assert r.status_code == 200, r.content
    [task_id] = sup.post(
        f"/api/v1/supervision/sheets/{sheet['id']}/submit", {"conclusion": ""}, content_type="application/json"
    ).json()["tasks"]
    # Bureau B does not see the plan or the task.
    b = quarter.cast.client_for(quarter.bureau_b_user)
    assert b.get(f"/api/v1/supervision/plans/{plan['id']}").status_code == 404
    assert b.post(f"/api/v1/supervision/tasks/{task_id}/answer", {"answer": "x"}).status_code == 404
    office = quarter.cast.client_for(quarter.branch_credit)
    proof = SimpleUploadedFile("送达台账.pdf", b"%PDF-1.4 ledger", content_type="application/pdf")
    answer = {"answer": "已建立送达台账", "files": [proof]}
    answered = office.post(f"/api/v1/supervision/tasks/{task_id}/answer", answer)
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert answered.json()["evidence"] == ["送达台账.pdf"]  # the multipart file reaches the task
    accepted = sup.post(
        f"/api/v1/supervision/tasks/{task_id}/accept", {"reason": "整改到位"}, content_type="application/json"
    )
    assert accepted.json()["status"] == "accepted"
    assert sup.post(f"/api/v1/supervision/plans/{plan['id']}/close").status_code == 200
    circular = sup.post(f"/api/v1/supervision/plans/{plan['id']}/circular")
    assert circular.status_code == 201 and circular.json()["number"] == "470000-TB-2018-0001"
    pdf = office.get(circular.json()["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    docx = office.get(circular.json()["docx_url"])
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert b.get(circular.json()["pdf_url"]).status_code == 404
