"""Measures follow the list in force on the business date, and a grade change is seen by the next decision."""

import datetime as dt
from decimal import Decimal

from ciqcredit.application.tests.conftest import party, publish_measures, set_grade
from ciqcredit.catalogue.choices import Kind
from ciqcredit.catalogue.reference import reference_document


def _stricter_list() -> dict:
    doc = reference_document(Kind.MEASURES)
    for measure in doc["measures"]:
        if measure["code"] == "B-DR-01":
            measure["sampling_ratio"] = "0.45"
    doc["precedence"] = {"sampling_rate": "lowest"}
    return doc


def test_decisions_and_measures_use_the_version_in_force_on_the_date(world):
    a, b = world.enterprises[1], world.enterprises[2]
    set_grade(a, "B")
    set_grade(b, "C")
    publish_measures(_stricter_list(), effective_from=dt.date(2026, 3, 1))
    before = world.decide({"declaration_no": "V-1", "parties": [party(a)], "on": "2026-02-28"}).json()
    after = world.decide({"declaration_no": "V-1", "parties": [party(a)], "on": "2026-03-01"}).json()
    assert (before["measure_list_version"], Decimal(before["sampling_rate"])) == (1, Decimal("0.3"))
    assert (after["measure_list_version"], Decimal(after["sampling_rate"])) == (2, Decimal("0.45"))
    # Version 2 publishes another precedence: the lowest rate of the parties wins.
    mixed = world.decide({"declaration_no": "V-2", "parties": [party(a), party(b)], "on": "2026-03-02"}).json()
    assert (mixed["governing_grade"], Decimal(mixed["sampling_rate"])) == ("C", Decimal("0.45"))

    url = f"/api/v1/enterprises/{a.credit_code}/measures"
    old = world.cast.api(world.cast.api_token).get(url, {"on": "2026-02-28", "area": "declaration_release"}).json()
    new = world.cast.api(world.cast.api_token).get(url, {"on": "2026-03-01"}).json()
    assert old["measure_list_version"] == 1 and [x["area"] for x in old["areas"]] == ["declaration_release"]
    assert Decimal(old["areas"][0]["sampling_rate"]) == Decimal("0.3")
    assert new["measure_list_version"] == 2 and len(new["areas"]) == 4
    release = next(x for x in new["areas"] if x["area"] == "declaration_release")
    assert Decimal(release["sampling_rate"]) == Decimal("0.45")


def test_measures_by_date_follow_the_grade_history(world):
    a = world.enterprises[1]
    set_grade(a, "A", on=dt.date(2025, 10, 1))
    set_grade(a, "C", on=dt.date(2026, 2, 1), cause="dynamic_downgrade", controlled=True)
    url = f"/api/v1/enterprises/{a.credit_code}/measures"
    client = world.cast.api(world.cast.api_token)
    january = client.get(url, {"on": "2026-01-15"}).json()
    february = client.get(url, {"on": "2026-02-15"}).json()
    assert (january["grade"], january["controlled"]) == ("A", False)
    assert (february["grade"], february["controlled"]) == ("C", True)
    supervision = next(x for x in february["areas"] if x["area"] == "daily_supervision")
    assert supervision["onsite_checks_per_year"] == 12  # the 布控 overlay's monthly checks
    assert {m["applies_to"] for m in supervision["measures"]} == {"C", "controlled"}


def test_a_grade_change_is_seen_by_the_next_decision(world):
    a = world.enterprises[1]
    set_grade(a, "A")
    first = world.decide({"declaration_no": "N-1", "parties": [party(a)]}).json()
    set_grade(a, "D", on=dt.date(2026, 3, 2), cause="listing", controlled=True)
    second = world.decide({"declaration_no": "N-1", "parties": [party(a)]}).json()
    assert (first["governing_grade"], second["governing_grade"]) == ("A", "D")
    assert second["inspect"] is True
