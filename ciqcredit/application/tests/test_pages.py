"""The result application pages: content, scope and roles."""

from ciqcredit.application.tests.conftest import party, set_grade


def _decide_some(world):
    a, b = world.enterprises[1], world.enterprises[2]
    set_grade(a, "A")
    set_grade(b, "C", controlled=True, cause="dynamic_downgrade")
    ids = []
    for n in range(30):
        parties = [party(a)] if n % 2 else [party(a), party(b, "agent")]
        body = world.decide({"declaration_no": f"P-{n:03d}", "parties": parties, "org_code": "475200"}).json()
        ids.append(body["decision_id"])
    return ids


def test_measures_table_shows_grades_by_area(world, cast):
    html = cast.client_for(cast.branch_a_user).get("/application/measures/").content.decode()
    for text in (
        "差异化检验检疫措施",
        "审批许可",
        "申报放行",
        "检验检疫",
        "日常监管",
        "布控（动态管理）",
        "未备案企业",
    ):
        assert text in html
    assert "抽批比例 30%" in html and "绿色通道" in html and "抽批比例：取最高比例" in html


def test_enterprise_page_loads_its_measures(world, cast):
    set_grade(cast.enterprise, "C", controlled=True, cause="dynamic_downgrade")
    client = cast.client_for(cast.branch_a_user)
    page = client.get(f"/enterprises/{cast.enterprise.credit_code}/").content.decode()
    assert f"/application/enterprises/{cast.enterprise.credit_code}/measures/" in page
    section = client.get(
        f"/application/enterprises/{cast.enterprise.credit_code}/measures/", headers={"HX-Request": "true"}
    ).content.decode()
    assert "C级" in section and "布控" in section and "布控期间逐批查验" in section and "抽批比例 100%" in section
    assert "<html" not in section
    own = cast.client_for(cast.enterprise_user).get(f"/application/enterprises/{cast.enterprise.credit_code}/measures/")
    assert own.status_code == 200
    other = cast.client_for(cast.bureau_b_user).get(f"/application/enterprises/{cast.enterprise.credit_code}/measures/")
    assert other.status_code == 404


def test_decisions_search_and_detail(world, cast):
    ids = _decide_some(world)
    client = cast.client_for(cast.bureau_a_user)
    html = client.get("/application/decisions/", {"declaration_no": "P-004"}).content.decode()
    assert "共 1 项放行决定" in html and "P-004" in html
    by_enterprise = client.get("/application/decisions/", {"credit_code": world.enterprises[2].credit_code})
    assert "共 15 项放行决定" in by_enterprise.content.decode()
    detail = client.get(f"/application/decisions/{ids[0]}/").content.decode()
    for text in ("P-000", "代理报检企业", "C级", "布控", "抽批比例", "100%", "查验", "差异化措施第1版"):
        assert text in detail, text
    assert cast.client_for(cast.bureau_b_user).get(f"/application/decisions/{ids[0]}/").status_code == 404
    assert "共 0 项放行决定" in cast.client_for(cast.bureau_b_user).get("/application/decisions/").content.decode()
    assert cast.client_for(cast.branch_a_user).get("/application/decisions/").status_code == 403  # a collector


def test_statistics_per_organization_and_grade_with_a_chart(world, cast):
    _decide_some(world)
    response = cast.client_for(cast.bureau_a_user).get("/application/statistics/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") == 2 and "各等级实际查验比例与规定抽批比例" in html
    assert "皇岗" in html and "C级" in html and "A级" in html
    assert "100.0%" in html  # the controlled C decisions: all inspected, 100 % prescribed
    empty = cast.client_for(cast.bureau_b_user).get("/application/statistics/").content.decode()
    assert "所选期间内没有放行决定" in empty


def test_an_enterprise_s_measures_link_its_release_decisions_only_for_those_who_may_read_them(world, cast):
    path = f"/application/enterprises/{cast.enterprise.credit_code}/measures/"
    link = f'href="/application/decisions/?credit_code={cast.enterprise.credit_code}"'
    for user in (cast.hq_rules, cast.branch_a_user):
        client = cast.client_for(user)
        assert link not in client.get(path).content.decode(), user.username
        assert client.get(f"/application/decisions/?credit_code={cast.enterprise.credit_code}").status_code == 403
    assert link in cast.client_for(cast.bureau_a_user).get(path).content.decode()


def test_the_tracking_tab_is_shown_only_to_those_who_may_open_it(world, cast):
    link = 'href="/tracking/"'
    for user in (cast.branch_a_user, cast.branch_a_reviewer):
        client = cast.client_for(user)
        assert link not in client.get("/application/measures/").content.decode(), user.username
        assert client.get("/tracking/").status_code == 403
    assert link in cast.client_for(cast.bureau_a_user).get("/application/measures/").content.decode()
