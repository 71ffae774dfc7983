"""The portal answers enterprise users only, about their own enterprise; staff and systems are refused."""

from django.urls import reverse

from ciqcredit.organizations.services import token_create
from ciqcredit.portal.tests.fixtures import SETUP, other_enterprise_user


def test_enterprise_user_sees_own_enterprise_and_grade(cast):
    html = cast.client_for(cast.enterprise_user).get(reverse("portal:home")).content.decode()
    assert cast.enterprise.name in html
    assert "尚未评定信用等级" in html
    assert f'href="{reverse("portal:home")}"' in html  # the portal's navigation
    assert f'href="{reverse("enterprises:list")}"' not in html


def test_staff_and_anonymous_are_refused_the_portal(cast):
    assert cast.client_for(cast.bureau_a_user).get(reverse("portal:home")).status_code == 403
    response = cast.client_for(None).get(reverse("portal:home"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_me_with_an_enterprise_token_and_session(cast):
    _, token = token_create(user=cast.enterprise_user, label="erp", actor=SETUP)
    body = cast.api(token).get("/api/v1/me").json()
    assert body["credit_code"] == cast.enterprise.credit_code
    assert body["grade"]["grade"] is None
    assert "id" not in body
    assert cast.client_for(cast.enterprise_user).get("/api/v1/me").json()["name"] == cast.enterprise.name


def test_me_answers_each_enterprise_its_own(cast):
    other = other_enterprise_user(cast)
    assert cast.client_for(other).get("/api/v1/me").json()["name"] == "北京市其他进出口有限公司"


def test_me_refuses_staff_and_system_tokens(cast):
    for token in (cast.staff_token_a, cast.api_token):
        response = cast.api(token).get("/api/v1/me")
        assert response.status_code == 403
        assert response.json()["code"] == "enterprise_only"
    assert cast.api(None).get("/api/v1/me").status_code == 401
    assert cast.client_for(cast.bureau_a_user).get("/api/v1/me").status_code == 403


def test_create_token_command_gives_an_enterprise_user_its_me_api(cast):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("create_token", "ent_user", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    assert cast.api(secret).get("/api/v1/me").json()["credit_code"] == cast.enterprise.credit_code


def test_the_header_names_the_enterprise_user_s_enterprise_not_the_bureau_that_keeps_the_account(cast):
    import re

    html = cast.client_for(cast.enterprise_user).get(reverse("portal:home")).content.decode()
    [who_org] = re.findall(r'<span class="who-org">(.*?)</span>', html)
    assert who_org == cast.enterprise.name
    staff = cast.client_for(cast.bureau_a_user).get("/").content.decode()
    assert re.findall(r'<span class="who-org">(.*?)</span>', staff)[0].startswith(cast.bureau_a.name)
