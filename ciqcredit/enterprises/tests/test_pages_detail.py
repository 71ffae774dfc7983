"""One enterprise's page: basic information, types, registering organization, status, history."""

import pytest
from django.urls import reverse

from ciqcredit.actors import Actor
from ciqcredit.enterprises.services import enterprise_contract, enterprise_set_status, enterprise_upsert
from ciqcredit.testing import credit_code_for, make_enterprise


@pytest.fixture
def imported(cast):
    """An enterprise created and then changed through the service, so it has a trail."""
    data = {
        "credit_code": credit_code_for(77, "440300"),
        "name": "深圳市沙头角食品进出口有限公司",
        "types": ["importer", "port_food"],
        "registering_org": "475200",
        "registered_on": "2016-03-01",
        "address": "深圳市盐田区沙头角深盐路2001号",
    }
    enterprise, _ = enterprise_upsert(data=data, actor=Actor.of(cast.bureau_a_user))
    enterprise, _ = enterprise_upsert(
        data={**enterprise_contract(enterprise), "legal_representative": "陈海"}, actor=Actor.of(cast.branch_a_user)
    )
    enterprise, _ = enterprise_set_status(enterprise=enterprise, status="cancelled", actor=Actor.of(cast.hq_admin))
    return enterprise


def _detail(cast, user, enterprise):
    return cast.client_for(user).get(reverse("enterprises:detail", args=[enterprise.credit_code]))


def test_detail_shows_basic_information_types_and_status(cast, imported):
    html = _detail(cast, cast.branch_a_user, imported).content.decode()
    for text in (
        "深圳市沙头角食品进出口有限公司",
        imported.credit_code,
        "进口企业",
        "口岸食品生产经营单位",
        "皇岗出入境检验检疫局（475200）",
        "2016-03-01",
        "注销",
        "深圳市盐田区沙头角深盐路2001号",
    ):
        assert text in html, text


def test_history_lists_every_change_newest_first_with_who_and_what(cast, imported):
    response = _detail(cast, cast.bureau_a_user, imported)
    history = response.context["history"]
    assert [e.action for e in history] == [
        "enterprises.enterprise.updated",
        "enterprises.enterprise.updated",
        "enterprises.enterprise.created",
    ]
    assert [e.actor_label for e in history] == ["hq_admin", "a_branch", "a_credit"]
    html = response.content.decode()
    assert "变更历史" in html and "企业修改" in html and "企业新建" in html
    assert "法定代表人" in html and "陈海" in html


def test_enterprise_user_sees_their_own_page_without_the_internal_trail(cast):
    response = _detail(cast, cast.enterprise_user, cast.enterprise)
    assert response.status_code == 200
    assert response.context["history"] is None
    assert "变更历史" not in response.content.decode()


def test_enterprise_user_cannot_open_another_enterprise(cast):
    neighbour = make_enterprise(5, cast.branch_a, name="同一分支局的另一企业")
    assert _detail(cast, cast.enterprise_user, neighbour).status_code == 404


def test_out_of_scope_is_404_even_for_a_bureau_credit_officer(cast, imported):
    assert _detail(cast, cast.bureau_b_user, imported).status_code == 404
    assert _detail(cast, cast.hq_admin, imported).status_code == 200


def test_detail_shows_the_grade_in_force_with_its_cause(cast):
    import datetime as dt

    from ciqcredit.rating.services.grades import grade_change_apply

    page = cast.client_for(cast.branch_a_user).get(f"/enterprises/{cast.enterprise.credit_code}/")
    assert "尚未评定信用等级" in page.content.decode()
    grade_change_apply(
        enterprise=cast.enterprise,
        grade="B",
        cause="periodic",
        effective_from=dt.date(2017, 10, 20),
        ruleset_version=1,
        actor=Actor.of(cast.hq_admin),
    )
    html = cast.client_for(cast.branch_a_user).get(f"/enterprises/{cast.enterprise.credit_code}/").content.decode()
    assert "B级" in html and "周期评定" in html and "评定规则第1版" in html
