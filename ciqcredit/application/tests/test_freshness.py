"""Nothing a decision rests on is cached stale in a worker: a grade change, a new measure list or new joint
measures committed by another connection (another worker, a batch job) are seen by the very next decision of
this one, and a grade change by the next grade lookup. The worker does keep things per process — the lists'
versions and their measures, the client's token — but each decision reads the stamps of the measure list and of
the joint measures in the statement that reads the parties' standing."""

import datetime as dt

import pytest

from ciqcredit.application.tests.conftest import SYSTEM, party, publish_measures, set_grade
from ciqcredit.catalogue.choices import Kind
from ciqcredit.catalogue.reference import reference_document
from ciqcredit.testing import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def elsewhere(job):
    """Run `job` in another thread with its own database connection, committed when it returns."""
    return run_together([job])[0]


def test_a_grade_change_committed_elsewhere_is_seen_by_the_next_decision_and_lookup(world):
    a = world.enterprises[1]
    set_grade(a, "A")
    assert world.decide({"declaration_no": "F-1", "parties": [party(a)]}).json()["governing_grade"] == "A"
    grade_url = f"/api/v1/enterprises/{a.credit_code}/grade"
    assert world.api().get(grade_url).json()["grade"] == "A"
    elsewhere(lambda: set_grade(a, "C", on=dt.date(2026, 3, 2), cause="dynamic_downgrade", controlled=True))
    after = world.decide({"declaration_no": "F-2", "parties": [party(a)]}).json()
    assert (after["governing_grade"], after["controlled"]) == ("C", True)
    assert world.api().get(grade_url).json()["grade"] == "C"


def test_a_measure_list_published_elsewhere_is_used_by_the_next_decision(world):
    a = world.enterprises[1]
    set_grade(a, "B")
    before = world.decide({"declaration_no": "F-3", "parties": [party(a)]}).json()
    doc = reference_document(Kind.MEASURES)
    for measure in doc["measures"]:
        if measure["code"] == "B-DR-01":
            measure["sampling_ratio"] = "0.55"
    elsewhere(lambda: publish_measures(doc, effective_from=dt.date(2026, 3, 1)))
    after = world.decide({"declaration_no": "F-3", "parties": [party(a)]}).json()
    assert (before["measure_list_version"], after["measure_list_version"]) == (1, 2)
    assert after["sampling_rate"] in ("0.55", "0.5500", 0.55)


def test_joint_measures_published_elsewhere_are_used_by_the_next_decision(world):
    from ciqcredit.catalogue.joint import joint_measures_replace
    from ciqcredit.catalogue.services import version_draft_create, version_publish, version_submit
    from ciqcredit.partners.tests.fixtures import make_partners, put_list

    a = world.enterprises[1]
    set_grade(a, "A")
    partners = make_partners()
    put_list(world.cast, partners.court_token, "court_dishonest_debtors", [a.credit_code])
    before = world.decide({"declaration_no": "F-4", "parties": [party(a)]}).json()
    assert [j["code"] for j in before["joint_measures"]] == ["JM-FY-DR-01"]

    def publish():
        draft = version_draft_create(kind=Kind.JOINT, actor=SYSTEM)
        rows = [
            {**{k: getattr(m, k) for k in ("list_code", "list_title", "list_kind", "area", "title")}, "code": "JM-2"}
            for m in draft.joint_measures.filter(code="JM-FY-DR-01")
        ]
        joint_measures_replace(version=draft, measures=rows, actor=SYSTEM)
        version_submit(version=draft, actor=SYSTEM)
        version_publish(version=draft, effective_from=dt.date(2026, 3, 1), actor=SYSTEM)

    elsewhere(publish)
    after = world.decide({"declaration_no": "F-4", "parties": [party(a)]}).json()
    assert [j["code"] for j in after["joint_measures"]] == ["JM-2"]
