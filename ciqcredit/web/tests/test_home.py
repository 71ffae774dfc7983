from django.urls import reverse


def test_staff_home_shows_organization_role_and_shortcuts(cast):
    html = cast.client_for(cast.bureau_a_user).get(reverse("web:home")).content.decode()
    assert "深圳出入境检验检疫局（470000）" in html
    assert "信用管理人员" in html
    assert reverse("enterprises:list") in html
    assert reverse("audit:list") in html  # bureau credit officers read the audit log


def test_shortcuts_follow_the_role(cast):
    html = cast.client_for(cast.branch_a_user).get(reverse("web:home")).content.decode()
    assert "信息采集人员" in html
    assert reverse("enterprises:list") in html
    assert reverse("audit:list") not in html  # a collector does not


def test_enterprise_user_home_shows_their_enterprise_only(cast):
    html = cast.client_for(cast.enterprise_user).get(reverse("web:home"), follow=True).content.decode()
    assert cast.enterprise.name in html
    assert cast.enterprise.credit_code in html
    assert "进口企业" in html
    assert f'href="{reverse("enterprises:list")}"' not in html  # no staff navigation


def test_pinned_date_banner(cast, settings):
    import datetime as dt

    settings.CIQCREDIT_TODAY = dt.date(2017, 10, 9)
    html = cast.client_for(cast.hq_admin).get(reverse("web:home")).content.decode()
    assert "平台日期固定为 2017年10月9日" in html
    settings.CIQCREDIT_TODAY = None
    assert "平台日期固定为" not in cast.client_for(cast.hq_admin).get(reverse("web:home")).content.decode()
