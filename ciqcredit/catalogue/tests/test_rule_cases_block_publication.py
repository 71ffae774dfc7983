"""A rule set whose cases fail cannot be published; the error lists every failing case."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.catalogue.choices import Kind
from ciqcredit.catalogue.editing import ruleset_update
from ciqcredit.catalogue.models import RuleSetVersion
from ciqcredit.catalogue.services import version_draft_create, version_publish, version_submit
from ciqcredit.errors import DomainError

from .conftest import SYSTEM

CASES = """\
- name: 计分12分评为C级
  previous_grade: B
  records:
    - {points: 12}
  expect: {grade: C}
- name: 计分0分评为A级
  previous_grade: B
  expect: {grade: A}
- name: 计分5分评为B级
  previous_grade: A
  records:
    - {points: 5}
  expect: {grade: B}
"""


def _submitted_with(params_change, cases, actor):
    draft = version_draft_create(kind=Kind.RULESET, actor=SYSTEM)
    params = {**draft.params, **params_change}
    ruleset_update(version=draft, params=params, cases_yaml=cases, actor=SYSTEM)
    return version_submit(version=draft, actor=SYSTEM)


def test_failing_cases_refuse_publication_and_list_every_failure(reference, cast, today):
    # C from 5 points: "5 points → B" fails (under two names); "12 → C" and "0 → A" still pass.
    bands = [
        {"min_points": 0, "max_points": 0, "grade": "A"},
        {"min_points": 1, "max_points": 4, "grade": "B"},
        {"min_points": 5, "max_points": None, "grade": "C"},
    ]
    version = _submitted_with({"bands": bands}, CASES + CASES.replace("计分", "再次计分"), SYSTEM)
    with pytest.raises(DomainError) as exc:
        version_publish(version=version, effective_from=today, actor=Actor.of(cast.hq_admin))
    assert exc.value.code == "rule_cases_failed"
    assert [f["name"] for f in exc.value.details["failures"]] == ["计分5分评为B级", "再次计分5分评为B级"]
    assert all(f["message"] for f in exc.value.details["failures"])
    version.refresh_from_db()
    assert version.status == "in_review" and version.effective_from is None


def test_the_same_rule_set_with_passing_cases_is_published(reference, cast, today):
    version = _submitted_with({}, CASES, SYSTEM)
    version_publish(version=version, effective_from=today, actor=Actor.of(cast.hq_admin))
    assert RuleSetVersion.objects.get(pk=version.pk).status == "published"


def test_a_rule_set_without_cases_is_not_submitted(reference):
    draft = version_draft_create(kind=Kind.RULESET, actor=SYSTEM)
    ruleset_update(version=draft, cases_yaml="", actor=SYSTEM)
    with pytest.raises(DomainError) as exc:
        version_submit(version=draft, actor=SYSTEM)
    assert exc.value.code == "version_incomplete"


def test_malformed_cases_are_refused_on_save_with_their_lines(reference):
    draft = version_draft_create(kind=Kind.RULESET, actor=SYSTEM)
    with pytest.raises(DomainError) as exc:
        ruleset_update(version=draft, cases_yaml="- name: x\n  expect: {grade: Q}\n", actor=SYSTEM)
    assert [(e["row"], e["code"]) for e in exc.value.details["errors"]] == [(2, "rule_case_format")]
