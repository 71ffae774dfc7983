"""Enterprise accounts are kept by the registering organization's credit officers: several users per enterprise,
created and disabled (audited); a disabled user can neither log in nor use a token; others get 404."""

import re

from django.test import Client

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.organizations.models import User
from ciqcredit.organizations.services import token_create


def test_bureau_creates_several_accounts_and_disables_one(cast):
    code = cast.enterprise.credit_code
    officer = cast.client_for(cast.bureau_a_user)
    page = officer.post(
        f"/portal/accounts/{code}/", {"username": "hg_cw", "full_name": "刘会计", "email": "cw@example.com"}
    )
    html = page.content.decode()
    assert "已开设账号" in html and "hg_cw" in html
    created = User.objects.get(username="hg_cw")
    assert (
        created.enterprise_id == cast.enterprise.pk and created.is_enterprise_user and created.email == "cw@example.com"
    )
    assert created.organization == cast.enterprise.registering_org
    assert User.objects.filter(enterprise=cast.enterprise, is_active=True).count() == 2
    assert AuditEntry.objects.filter(action="portal.account.created").exists()

    password = re.search(r"初始密码 <strong class=\"code\">([^<]+)</strong>", html).group(1)
    assert Client().post("/login/", {"username": "hg_cw", "password": password}).status_code == 302
    _, token = token_create(user=created, label="erp", actor=Actor.job("t"))
    assert cast.api(token).get("/api/v1/me").status_code == 200
    officer.post(f"/portal/accounts/{code}/", {"action": "disable", "account": created.pk, "reason": "人员离职"})
    created.refresh_from_db()
    assert not created.is_active
    assert AuditEntry.objects.filter(action="portal.account.disabled").exists()
    assert cast.api(token).get("/api/v1/me").status_code == 401
    login = Client().post("/login/", {"username": "hg_cw", "password": password})
    assert login.status_code == 200 and "_auth_user_id" not in login.client.session


def test_others_cannot_keep_the_accounts(cast):
    code = cast.enterprise.credit_code
    assert cast.client_for(cast.bureau_b_user).get(f"/portal/accounts/{code}/").status_code == 404
    assert cast.client_for(cast.branch_a_user).get(f"/portal/accounts/{code}/").status_code == 403  # a collector
    assert cast.client_for(cast.enterprise_user).get(f"/portal/accounts/{code}/").status_code == 403
    response = cast.client_for(cast.bureau_b_user).post(
        f"/portal/accounts/{code}/", {"username": "intruder", "full_name": "某人"}
    )
    assert response.status_code == 404 and not User.objects.filter(username="intruder").exists()
