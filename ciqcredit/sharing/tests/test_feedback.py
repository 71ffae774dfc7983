"""Feedback to partners: per list entry, the decisions where a joint measure applied, by area and outcome, first
and last day; equal to the decisions made. The owner's client reads its own lists, HQ every partner's."""

import datetime as dt
import hashlib

import pytest

from ciqcredit.application.tests.conftest import publish_measures, set_grade
from ciqcredit.organizations.services import api_client_create
from ciqcredit.partners.tests.fixtures import put_list
from ciqcredit.sharing.models import AccessLogEntry
from ciqcredit.sharing.tests.conftest import SYSTEM, TODAY


@pytest.fixture
def decided(shared, settings):
    """Decisions over three days: the court-listed enterprise in two areas, a tax-A enterprise, a plain one."""
    publish_measures()
    _, eciq = api_client_create(name="eciq-hq", organization=shared.cast.hq, scopes=["eciq_decision"], actor=SYSTEM)
    listed, rewarded, plain = shared.enterprises[2], shared.enterprises[0], shared.enterprises[1]
    set_grade(rewarded, "A", on=dt.date(2026, 3, 1))
    put_list(shared.cast, shared.partners.court_token, "court_dishonest_debtors", [listed.credit_code])
    put_list(shared.cast, shared.partners.tax_token, "tax_a_grade", [rewarded.credit_code])
    made = []
    for day in range(3):
        settings.CIQCREDIT_TODAY = TODAY + dt.timedelta(days=day)
        for n, (area, parties) in enumerate(
            [
                ("declaration_release", [listed]),
                ("inspection", [listed, plain]),
                ("declaration_release", [rewarded]),
                ("declaration_release", [plain]),
                ("daily_supervision", [listed]),  # no joint measure in this area: not counted
            ]
        ):
            response = shared.cast.api(eciq).post(
                "/api/v1/decisions",
                {
                    "declaration_no": f"FB-{day}-{n}",
                    "area": area,
                    "parties": [{"credit_code": e.credit_code, "role": "consignee"} for e in parties],
                },
                content_type="application/json",
            )
            assert response.status_code == 200, response.content
            made.append(response.json())
    return made


def _feedback(shared, token, list_code, **extra):
    params = {"list": list_code, "from": TODAY.isoformat(), "to": (TODAY + dt.timedelta(days=5)).isoformat(), **extra}
    return shared.cast.api(token).get("/api/v1/sharing/feedback", params)


def test_feedback_counts_equal_the_decisions_made(shared, decided):
    listed = shared.enterprises[2].credit_code
    body = _feedback(shared, shared.partners.court_token, "court_dishonest_debtors").json()
    expected = [d for d in decided if any(j["list_code"] == "court_dishonest_debtors" for j in d["joint_measures"])]
    assert body["decisions"] == len(expected) == 6
    (entry,) = body["entries"]
    assert entry["credit_code"] == listed and entry["decisions"] == 6
    assert (entry["first_on"], entry["last_on"]) == (TODAY.isoformat(), (TODAY + dt.timedelta(days=2)).isoformat())
    by = {(b["area"], b["outcome"]): b["decisions"] for b in entry["by"]}
    assert by == {("declaration_release", "inspect"): 3, ("inspection", "inspect"): 3}  # full inspection
    tax = _feedback(shared, shared.partners.tax_token, "tax_a_grade").json()
    assert tax["decisions"] == 3 and tax["entries"][0]["by"][0]["area"] == "declaration_release"
    outcomes = {b["outcome"] for b in tax["entries"][0]["by"]}
    released = sum(
        1
        for d in decided
        if d["joint_measures"] and d["joint_measures"][0]["list_code"] == "tax_a_grade" and not d["inspect"]
    )
    assert sum(b["decisions"] for b in tax["entries"][0]["by"] if b["outcome"] == "release") == released
    assert outcomes <= {"inspect", "release"}
    narrower = _feedback(shared, shared.partners.court_token, "court_dishonest_debtors", to=TODAY.isoformat()).json()
    assert narrower["decisions"] == 2


def test_a_partner_reads_only_its_own_lists_and_each_read_is_logged(shared, decided):
    refused = _feedback(shared, shared.partners.tax_token, "court_dishonest_debtors")
    assert refused.status_code == 404
    _feedback(shared, shared.partners.court_token, "court_dishonest_debtors")
    logged = AccessLogEntry.objects.filter(endpoint="/api/v1/sharing/feedback").get()
    assert (logged.partner, logged.list_code, logged.rows, logged.allowed) == (
        shared.partners.court,
        "court_dishonest_debtors",
        1,
        True,
    )


def test_hq_sees_every_partner_s_feedback_and_bureaus_do_not(shared, decided):
    hq = shared.cast.client_for(shared.cast.hq_admin)
    params = {"list": "tax_a_grade", "from": TODAY.isoformat(), "to": (TODAY + dt.timedelta(days=5)).isoformat()}
    assert hq.get("/api/v1/sharing/feedback", params).json()["decisions"] == 3
    bureau = shared.cast.client_for(shared.cast.bureau_a_user)
    assert bureau.get("/api/v1/sharing/feedback", params).status_code == 403
    assert shared.cast.api(shared.cast.api_token).get("/api/v1/sharing/feedback", params).status_code == 403


def test_the_monthly_file(shared, decided):
    response = shared.cast.api(shared.partners.court_token).get(
        "/api/v1/sharing/feedback/file", {"list": "court_dishonest_debtors", "month": TODAY.strftime("%Y-%m")}
    )
    assert response.status_code == 200, response.content
    assert response["X-Content-SHA256"] == hashlib.sha256(response.content).hexdigest()
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("名单代码,") and len(lines) == 3  # heading + two (area, outcome) rows
    assert sum(int(line.split(",")[6]) for line in lines[1:]) == 6
    bad = shared.cast.api(shared.partners.court_token).get(
        "/api/v1/sharing/feedback/file", {"list": "court_dishonest_debtors", "month": "2026-13"}
    )
    assert bad.status_code == 400 and bad.json()["code"] == "bad_month"
