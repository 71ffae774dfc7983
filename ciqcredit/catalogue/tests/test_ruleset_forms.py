"""A rule-set draft is edited through forms: its adjustment rules as rows, each rule case field by field.
YAML stays the exchange format; nothing typed is lost after a validation error."""

import re

import yaml

from ciqcredit.audit.models import AuditEntry
from ciqcredit.catalogue.models import RuleSetVersion
from ciqcredit.catalogue.tests.test_pages import _params_post
from ciqcredit.rules.cases import parse_cases

CASE_POST = {
    "name": "计分30分即时降级并布控",
    "kind": "dynamic",
    "current_grade": "B",
    "expect_grade": "C",
    "expect_controlled": "true",
    "expect_actions": "on",
    "records-TOTAL_FORMS": "2",
    "records-INITIAL_FORMS": "0",
    "records-0-points": "24",
    "records-0-status": "effective",
    "records-0-responsible": "on",
    "records-1-points": "6",
    "records-1-act": "act-2",
    "records-1-status": "effective",
    "records-1-responsible": "on",
    "actions-TOTAL_FORMS": "1",
    "actions-INITIAL_FORMS": "0",
    "actions-0-kind": "downgrade",
    "actions-0-rule": "immediate_downgrade",
    "actions-0-from_grade": "B",
    "actions-0-to_grade": "C",
    "actions-0-controlled": "true",
}


def _draft(cast):
    admin = cast.client_for(cast.hq_admin)
    admin.post("/rules/ruleset/new/")
    return admin, RuleSetVersion.objects.get(number=2)


def test_the_edit_page_has_no_yaml_box_and_lists_cases_with_their_forms(reference, cast, today):
    admin, ruleset = _draft(cast)
    page = admin.get("/rules/ruleset/2/params/").content.decode()
    assert "<textarea" not in page and "cases_yaml" not in page
    assert "评定结果调整规则" in page and "可调整的部门类别" in page and "信用管理（综合）部门" in page
    assert "/rules/ruleset/2/cases/new/" in page and "/rules/ruleset/2/cases/1/" in page
    form = admin.get("/rules/ruleset/2/cases/1/").content.decode()
    assert "计分0分评为A级" in form and "上一周期等级" in form and "预期等级" in form
    assert 'value="B" selected' in form  # the case's previous grade
    assert not re.findall(r">\s*(previous_grade|expect|points|records)\s*<", form)


def test_a_case_is_added_through_the_form_and_published_cases_carry_no_comments(reference, cast, today):
    admin, ruleset = _draft(cast)
    count = len(parse_cases(ruleset.cases_yaml))
    response = admin.post("/rules/ruleset/2/cases/new/", CASE_POST)
    assert response.status_code == 302, response.content.decode()[:3000]
    ruleset.refresh_from_db()
    cases = parse_cases(ruleset.cases_yaml)
    assert len(cases) == count + 1
    added = cases[-1]
    assert (added.kind, added.current_grade, [r.points for r in added.records]) == ("dynamic", "B", [24, 6])
    assert added.records[1].act == "act-2"
    assert added.expect == {
        "grade": "C",
        "controlled": True,
        "actions": [{"kind": "downgrade", "rule": "immediate_downgrade", "from": "B", "to": "C", "controlled": True}],
    }
    raw = yaml.safe_load(ruleset.cases_yaml)[-1]
    assert "responsible" not in raw["records"][0] and "status" not in raw["records"][0]  # only what differs
    assert not [line for line in ruleset.cases_yaml.splitlines() if line.lstrip().startswith("#")]
    assert AuditEntry.objects.filter(action="catalogue.ruleset.updated", target_id=str(ruleset.pk)).exists()

    admin.post("/rules/ruleset/2/submit/")
    response = admin.post("/rules/ruleset/2/publish/", {"effective_from": "2017-07-01"})
    ruleset.refresh_from_db()
    assert ruleset.status == "published"  # the new case passes under the reference parameters
    assert "#" not in ruleset.cases_yaml


def test_a_case_form_error_is_in_chinese_and_keeps_what_was_typed(reference, cast, today):
    admin, ruleset = _draft(cast)
    before = ruleset.cases_yaml
    bad = {**CASE_POST, "name": "计分0分评为A级", "records-1-points": "-3", "records-1-act": "同一行为丙"}
    text = admin.post("/rules/ruleset/2/cases/new/", bad).content.decode()
    assert "确保该值大于或等于0" in text or "不能小于" in text
    assert 'value="同一行为丙"' in text and 'value="计分0分评为A级"' in text
    bad = {**CASE_POST, "name": "计分0分评为A级"}
    text = admin.post("/rules/ruleset/2/cases/new/", bad).content.decode()
    assert "用例名称“计分0分评为A级”已存在" in text and 'value="act-2"' in text
    nothing = {
        **CASE_POST,
        "expect_grade": "",
        "expect_controlled": "",
        "expect_actions": "",
        "name": "无预期",
    }
    text = admin.post("/rules/ruleset/2/cases/new/", nothing).content.decode()
    assert "请至少填写一项预期结果" in text
    ruleset.refresh_from_db()
    assert ruleset.cases_yaml == before


def test_rows_are_added_without_saving_and_a_case_is_edited_and_deleted(reference, cast, today):
    admin, ruleset = _draft(cast)
    text = admin.post("/rules/ruleset/2/cases/new/", {**CASE_POST, "add_record": "1"}).content.decode()
    assert 'name="records-TOTAL_FORMS" value="3"' in text and 'name="records-2-points"' in text
    assert 'value="act-2"' in text
    ruleset.refresh_from_db()
    count = len(parse_cases(ruleset.cases_yaml))
    first = parse_cases(ruleset.cases_yaml)[0]
    # Edit the first case: rename it, expect B with 1 point by adding a record.
    form = {
        "name": "计分1分评为B级（修订）",
        "kind": "periodic",
        "previous_grade": "A",
        "had_business": "on",
        "expect_grade": "B",
        "expect_points": "1",
        "records-TOTAL_FORMS": "1",
        "records-INITIAL_FORMS": "0",
        "records-0-points": "1",
        "records-0-status": "effective",
        "records-0-responsible": "on",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
    }
    assert admin.post("/rules/ruleset/2/cases/1/", form).status_code == 302
    ruleset.refresh_from_db()
    cases = parse_cases(ruleset.cases_yaml)
    assert len(cases) == count and cases[0].name == "计分1分评为B级（修订）" and cases[0].expect["points"] == 1
    assert first.name not in [c.name for c in cases]
    assert admin.post("/rules/ruleset/2/cases/1/delete/").status_code == 302
    ruleset.refresh_from_db()
    assert len(parse_cases(ruleset.cases_yaml)) == count - 1
    assert admin.get(f"/rules/ruleset/2/cases/{count + 5}/").status_code == 404
    # A published version is not edited.
    assert admin.post("/rules/ruleset/1/cases/1/delete/", follow=True).status_code == 200
    assert len(parse_cases(RuleSetVersion.objects.get(number=1).cases_yaml)) == count


def test_adjustment_rules_are_edited_as_rows(reference, cast, today):
    admin, ruleset = _draft(cast)
    # The first rule becomes A/B → B/C by the credit or business department, and a second rule is added in
    # the empty row: C → B, one step, by the inspection department.
    post = _params_post(
        ruleset.params,
        "",
        adj_0_from=["A", "B"],
        adj_0_to=["B", "C"],
        adj_0_kinds=["credit", "business"],
        adj_1_from=["C"],
        adj_1_to=["B"],
        adj_1_steps="1",
        adj_1_kinds=["inspection"],
    )
    response = admin.post("/rules/ruleset/2/params/", post)
    assert response.status_code == 302, response.content.decode()[:2000]
    ruleset.refresh_from_db()
    rules = ruleset.rule_params.adjustment.rules
    assert [(r.from_grades, r.to_grades, r.max_steps, r.department_kinds) for r in rules] == [
        (("A", "B"), ("B", "C"), 1, ("credit", "business")),
        (("C",), ("B",), 1, ("inspection",)),
    ]
    page = admin.get("/rules/ruleset/2/").content.decode()
    assert "C级可调整为B级，最多1级，由施检部门调整" in page

    # A row without target grades is refused in Chinese, and what was typed stays.
    post = _params_post(ruleset.params, "", adj_1_to=[], adj_1_steps="2", p__new_enterprise__grade="C")
    text = admin.post("/rules/ruleset/2/params/", post).content.decode()
    assert "请至少选择一个可调整为的等级" in text
    assert 'value="C" selected' in text and re.search(r'name="adj_1_steps" value="2"', text)
    # Another empty row on request, nothing saved; then the second rule is removed.
    text = admin.post("/rules/ruleset/2/params/", {**post, "more_adjustment": "1"}).content.decode()
    assert 'name="adj_3_from"' in text
    post = _params_post(ruleset.params, "", adj_1_delete=True)
    assert admin.post("/rules/ruleset/2/params/", post).status_code == 302
    assert len(RuleSetVersion.objects.get(pk=ruleset.pk).rule_params.adjustment.rules) == 1
