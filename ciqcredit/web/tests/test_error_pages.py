from django.urls import reverse


def test_404_page_is_chinese_and_does_not_say_why(cast):
    url = reverse("enterprises:detail", args=[cast.enterprise.credit_code])
    response = cast.client_for(cast.bureau_b_user).get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "不在您的管辖范围内" in html
    assert cast.enterprise.name not in html


def test_unknown_url_gets_the_same_404_page(cast):
    response = cast.client_for(None).get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_403_page_explains_in_chinese(cast):
    response = cast.client_for(cast.branch_a_user).get(reverse("audit:list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权访问" in html
    assert "总局管理员" in html  # the roles that may use the page, from require_role's message
