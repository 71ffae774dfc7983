"""The pages: browsing for staff, and the HQ flow from a new draft to publication through forms."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from ciqcredit.audit.models import AuditEntry
from ciqcredit.catalogue.models import CatalogueVersion, RuleSetVersion
from ciqcredit.catalogue.ruleset_tables import RuleSetParamsForm

ITEM_POST = {
    "code": "JG-99",
    "name": "新条目",
    "category": "supervision",
    "points": "3",
    "department": "检验监管司",
    "collection": "auto_confirm",
    "stage": "",
    "association_kind": "declaration",
}


def test_browse_items_in_force_with_filters_and_htmx_fragment(reference, cast, today):
    client = cast.client_for(cast.branch_a_user)
    page = client.get("/rules/")
    text = page.content.decode()
    assert "以不合格商品冒充合格商品" in text and "参考值，待以正式发布的条目和规则替换" in text
    filtered = client.get("/rules/", {"category": "social_evaluation", "q": "媒体"}).content.decode()
    assert "媒体曝光" in filtered and "报检差错" not in filtered
    fragment = client.get("/rules/", {"department": "卫生司"}, headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content and "船舶未按规定申报卫生检疫" in fragment.content.decode()
    for url in ("/rules/catalogue/", "/rules/ruleset/1/", "/rules/measures/1/", "/rules/catalogue/1/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/rules/nonsense/").status_code == 404
    export = client.get("/rules/catalogue/1/export.xlsx")
    assert export.status_code == 200 and export["Content-Disposition"].endswith('catalogue-v1.xlsx"')


def test_hq_flow_through_the_pages(reference, cast, today):
    rules = cast.client_for(cast.hq_rules)
    admin = cast.client_for(cast.hq_admin)
    assert rules.post("/rules/catalogue/new/").status_code == 302
    draft = CatalogueVersion.objects.get(number=2)

    # A bad item comes back with the service's Chinese message on the field; nothing is saved.
    response = rules.post("/rules/catalogue/2/items/new/", ITEM_POST)
    assert response.status_code == 200 and "须注明采集环节" in response.content.decode()
    assert not draft.items.filter(code="JG-99").exists()
    assert rules.post("/rules/catalogue/2/items/new/", {**ITEM_POST, "stage": "inspection"}).status_code == 302
    assert draft.items.get(code="JG-99").stage == "inspection"

    # Another department's item: refused.
    assert (
        rules.post(
            "/rules/catalogue/2/items/JG-01/", {**ITEM_POST, "code": "JG-01", "department": "通关业务司"}
        ).status_code
        == 403
    )
    assert rules.post("/rules/catalogue/2/items/SH-03/delete/").status_code == 302
    assert not draft.items.filter(code="SH-03").exists()

    # Import with a bad row shows every error and changes nothing.
    bad = SimpleUploadedFile("bad.yaml", "kind: catalogue\nitems:\n- {code: X-1, name: 坏, category: nope}\n".encode())
    response = rules.post("/rules/catalogue/2/import/", {"file": bad})
    text = response.content.decode()
    assert response.status_code == 200 and "unknown_category" in text and "missing_field" in text
    assert draft.items.filter(code="JG-99").exists()

    assert rules.post("/rules/catalogue/2/submit/").status_code == 302
    assert admin.post("/rules/catalogue/2/return/", {"reason": "分值偏高"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft"
    page = admin.get("/rules/catalogue/2/").content.decode()
    assert "分值偏高" in page
    rules.post("/rules/catalogue/2/submit/")
    past = admin.post("/rules/catalogue/2/publish/", {"effective_from": "2017-01-01"}, follow=True)
    assert "不能早于今天" in past.content.decode()
    admin.post("/rules/catalogue/2/publish/", {"effective_from": "2017-07-01"})
    draft.refresh_from_db()
    assert (draft.status, str(draft.effective_from)) == ("published", "2017-07-01")

    compare = admin.get("/rules/catalogue/compare/", {"a": 1, "b": 2}).content.decode()
    assert "JG-99" in compare and "SH-03" in compare


def _params_post(params: dict, cases_yaml: str, **changes) -> dict:
    """What the parameters form posts when a person changes only `changes` (field name -> value)."""
    form = RuleSetParamsForm(params=params)
    data = {name: field.initial for name, field in form.fields.items()}
    data.update(changes)
    post = {name: ("on" if value else "") if isinstance(value, bool) else value for name, value in data.items()}
    post = {name: "" if value is None else value for name, value in post.items() if value != ""} | {
        name: "" for name, value in data.items() if value is None
    }
    return post


def test_rule_set_page_validates_params_and_cases(reference, cast, today):
    admin = cast.client_for(cast.hq_admin)
    admin.post("/rules/ruleset/new/")
    ruleset = RuleSetVersion.objects.get(number=2)
    form = admin.get("/rules/ruleset/2/params/").content.decode()
    assert "即时降级 › 分值门槛" in form and "immediate_downgrade" not in form.split("<form", 1)[1].split("name=")[0]
    response = admin.post(
        "/rules/ruleset/2/params/", _params_post(ruleset.params, ruleset.cases_yaml, p__period__months=0)
    )
    assert "评定周期 › 月数：不能小于1" in response.content.decode()
    response = admin.post(
        "/rules/ruleset/2/params/", _params_post(ruleset.params, "", band_0_max="3", p__new_enterprise__grade="C")
    )
    text = response.content.decode()
    assert "分值区间须连续且不重叠" in text
    assert 'value="C" selected' in text  # nothing typed is lost after a validation error
    response = admin.post(
        "/rules/ruleset/2/params/", _params_post(ruleset.params, ruleset.cases_yaml, p__new_enterprise__grade="C")
    )
    assert response.status_code == 302
    ruleset.refresh_from_db()
    assert ruleset.rule_params.new_enterprise.grade == "C"
    assert ruleset.rule_params == ruleset.rule_params.model_validate({**ruleset.params})  # everything else kept
    admin.post("/rules/ruleset/2/submit/")
    response = admin.post("/rules/ruleset/2/publish/", {"effective_from": "2017-07-01"}, follow=True)
    assert "未通过" in response.content.decode()  # a reference case expects new enterprises at B
    ruleset.refresh_from_db()
    assert ruleset.status == "in_review"


def test_bands_are_edited_as_rows(reference, cast, today):
    admin = cast.client_for(cast.hq_admin)
    admin.post("/rules/ruleset/new/")
    ruleset = RuleSetVersion.objects.get(number=2)
    # Split 12+ into 12–23 → C and 24+ → D through the empty row; remove nothing.
    post = _params_post(ruleset.params, "", band_2_max="23", band_3_min="24", band_3_max="", band_3_grade="D")
    assert admin.post("/rules/ruleset/2/params/", post).status_code == 302
    ruleset.refresh_from_db()
    assert [(b.min_points, b.max_points, b.grade) for b in ruleset.rule_params.bands] == [
        (0, 0, "A"),
        (1, 11, "B"),
        (12, 23, "C"),
        (24, None, "D"),
    ]
    page = admin.get("/rules/ruleset/2/").content.decode()
    assert "24 分及以上" in page and "12–23 分" in page


def test_rule_set_reads_as_labelled_tables(reference, cast, today):
    page = cast.client_for(cast.bureau_a_user).get("/rules/ruleset/1/").content.decode().split("<main", 1)[1]
    for shown in (
        "计分区间",
        "0 分",
        "1–11 分",
        "A级",
        "初评确认期",
        "工作日",
        "即时降级",
        "分值门槛",
        "计分0分评为A级",
    ):
        assert shown in page, shown
    for hidden in ("immediate_downgrade", "min_points", "previous_grade", "expect:", "ciqcredit", "BRIEF.md", ".py"):
        assert hidden not in page, hidden
    tables = re.sub(r"<[^>]+>", " ", page.split("计分区间", 1)[1].split("状态记录", 1)[0])
    words = set(re.findall(r"[A-Za-z_]{3,}", tables)) - {"act"}  # act references are the case's own identifiers
    assert words == set()


def test_published_reference_content_has_no_developer_comments(reference):
    cases = RuleSetVersion.objects.get(number=1).cases_yaml
    comments = [line for line in cases.splitlines() if line.lstrip().startswith("#")]
    assert comments  # the reference cases explain themselves…
    assert not [c for c in comments if re.search(r"[A-Za-z]{3,}|/|\\.py", c)]  # …in Chinese, with no paths


def test_a_draft_can_be_discarded_and_a_new_one_made(reference, cast, today):
    admin = cast.client_for(cast.hq_admin)
    admin.post("/rules/ruleset/new/")
    response = admin.post("/rules/ruleset/2/discard/", {"reason": "参数方案不再采用"}, follow=True)
    assert "已废弃" in response.content.decode()
    ruleset = RuleSetVersion.objects.get(number=2)
    assert ruleset.status == "discarded"
    entry = AuditEntry.objects.get(action="catalogue.version.discarded")
    assert entry.new["reason"] == "参数方案不再采用"
    assert admin.post("/rules/ruleset/2/submit/", follow=True).status_code == 200
    assert RuleSetVersion.objects.get(number=2).status == "discarded"  # nothing moves a discarded draft
    admin.post("/rules/ruleset/new/")
    assert RuleSetVersion.objects.get(number=3).status == "draft"
    # A published version cannot be discarded.
    admin.post("/rules/ruleset/1/discard/")
    assert RuleSetVersion.objects.get(number=1).status == "published"


def test_measures_page_edits_a_measure(reference, cast, today):
    admin = cast.client_for(cast.hq_admin)
    admin.post("/rules/measures/new/")
    page = admin.get("/rules/measures/2/").content.decode()
    assert "抽批比例 30%" in page
    post = {
        "code": "B-IN-01",
        "grade": "B",
        "area": "inspection",
        "title": "常规比例抽批检验",
        "sampling_ratio": "150%",
    }
    assert "0到1" in admin.post("/rules/measures/2/measures/B-IN-01/", post).content.decode()
    assert admin.post("/rules/measures/2/measures/B-IN-01/", {**post, "sampling_ratio": "35%"}).status_code == 302
    assert "抽批比例 35%" in admin.get("/rules/measures/2/").content.decode()
    upload = SimpleUploadedFile("m.xlsx", io.BytesIO(admin.get("/rules/measures/1/export.xlsx").content).read())
    assert admin.post("/rules/measures/2/import/", {"file": upload}).status_code == 302
    assert "抽批比例 30%" in admin.get("/rules/measures/2/").content.decode()
