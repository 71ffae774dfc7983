"""The enterprise list page: search, filters within scope, htmx fragments, pagination."""

import pytest
from django.urls import reverse

from ciqcredit.actors import Actor
from ciqcredit.testing import make_enterprise

LIST = reverse("enterprises:list")


@pytest.fixture
def registry(cast):
    """Besides the cast's enterprise at branch A: one at bureau A, one cancelled vessel at B."""
    at_bureau = make_enterprise(2, cast.bureau_a, name="深圳市福田电子科技有限公司", types=("exporter",))
    at_bureau.ciq_registration_no = "4700600123"
    at_bureau.save(update_fields=["ciq_registration_no"])
    at_b = make_enterprise(3, cast.bureau_b, name="北京远洋船务有限公司", types=("vessel",), status="cancelled")
    return {"branch": cast.enterprise, "bureau": at_bureau, "b": at_b}


def _names(cast, user, query="") -> set[str]:
    html = cast.client_for(user).get(LIST + query).content.decode()
    return {
        e for e in ("深圳市皇岗进出口贸易有限公司", "深圳市福田电子科技有限公司", "北京远洋船务有限公司") if e in html
    }


def test_each_user_sees_their_subtree(cast, registry):
    assert _names(cast, cast.branch_a_user) == {"深圳市皇岗进出口贸易有限公司"}
    assert _names(cast, cast.bureau_a_user) == {"深圳市皇岗进出口贸易有限公司", "深圳市福田电子科技有限公司"}
    assert _names(cast, cast.bureau_b_user) == {"北京远洋船务有限公司"}
    assert len(_names(cast, cast.hq_admin)) == 3


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("?q=福田", {"深圳市福田电子科技有限公司"}),
        ("?q=有限公司", {"深圳市皇岗进出口贸易有限公司", "深圳市福田电子科技有限公司"}),
        ("?q=4700600", {"深圳市福田电子科技有限公司"}),  # 备案号 prefix
        ("?type=importer", {"深圳市皇岗进出口贸易有限公司"}),
        ("?org=475200", {"深圳市皇岗进出口贸易有限公司"}),
        ("?org=470000", {"深圳市皇岗进出口贸易有限公司", "深圳市福田电子科技有限公司"}),
        ("?status=cancelled", set()),
    ],
)
def test_search_and_filters(cast, registry, query, found):
    assert _names(cast, cast.bureau_a_user, query) == found


def test_search_by_credit_code_and_org_code_prefix(cast, registry):
    code = registry["bureau"].credit_code
    assert _names(cast, cast.bureau_a_user, f"?q={code[:12]}") == {"深圳市福田电子科技有限公司"}
    assert _names(cast, cast.bureau_a_user, f"?q={code.lower()}") == {"深圳市福田电子科技有限公司"}
    assert _names(cast, cast.bureau_a_user, f"?q={registry['bureau'].org_code}") == {"深圳市福田电子科技有限公司"}


def test_organization_choices_are_the_visible_ones(cast, registry):
    html = cast.client_for(cast.bureau_a_user).get(LIST).content.decode()
    assert 'value="475200"' in html and 'value="470000"' in html
    assert 'value="110000"' not in html


def test_an_organization_outside_scope_finds_nothing_and_says_why(cast, registry):
    html = cast.client_for(cast.bureau_a_user).get(LIST + "?org=110000").content.decode()
    assert "北京远洋船务有限公司" not in html
    assert "备案地机构" in html and "选择一个有效的选项" in html


def test_htmx_request_gets_the_table_only(cast, registry):
    response = cast.client_for(cast.bureau_a_user).get(LIST + "?q=福田", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "深圳市福田电子科技有限公司" in html
    assert "<html" not in html and 'id="enterprise-table"' in html
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(cast, registry):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in cast.client_for(cast.bureau_a_user).get(LIST, headers=headers).content.decode()


def test_fifty_per_page(cast):
    for n in range(10, 61):  # 51 more at bureau A, 52 in all with the cast's
        make_enterprise(n, cast.bureau_a)
    client = cast.client_for(cast.bureau_a_user)
    first = client.get(LIST).context["page_obj"]
    second = client.get(LIST + "?page=2").context["page_obj"]
    assert (first.paginator.count, len(first.object_list), len(second.object_list)) == (52, 50, 2)
    assert not {e.pk for e in first.object_list} & {e.pk for e in second.object_list}
    assert "第 1 / 2 页" in client.get(LIST).content.decode()


def test_grade_column_and_filter_follow_the_current_grade(cast, registry):
    import datetime as dt

    from ciqcredit.rating.services.grades import grade_change_apply

    grade_change_apply(
        enterprise=registry["bureau"],
        grade="C",
        cause="periodic",
        effective_from=dt.date(2017, 10, 20),
        controlled=True,
        actor=Actor.of(cast.hq_admin),
    )
    html = cast.client_for(cast.hq_admin).get(LIST + "?q=福田").content.decode()
    assert "<th>信用等级</th>" in html and ">C" in html and "布控" in html
    assert _names(cast, cast.hq_admin, "?grade=C") == {"深圳市福田电子科技有限公司"}
    assert _names(cast, cast.hq_admin, "?grade=none") == {"深圳市皇岗进出口贸易有限公司", "北京远洋船务有限公司"}
    assert _names(cast, cast.hq_admin, "?grade=A") == set()
