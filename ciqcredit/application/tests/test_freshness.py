"""Nothing a decision rests on is cached stale in a worker: a grade change or a new measure list committed by
another connection (another worker, a batch job) is seen by the very next decision of this one, and so is a
grade lookup. The worker does keep things per process — the measure list's version and its measures, the
client's token — but each decision reads the list's stamp in the statement that reads the parties' standing."""

import datetime as dt

import pytest

from ciqcredit.application.tests.conftest import party, publish_measures, set_grade
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
