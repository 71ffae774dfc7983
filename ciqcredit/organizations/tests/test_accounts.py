"""Accounts as a government system keeps them: password policy everywhere, change and administrator reset,
expiry and deactivation, login throttling with lockout, login/failed/logout audited, idle sessions ending."""

import datetime as dt
import io

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from ciqcredit.audit.models import AuditEntry
from ciqcredit.conftest import PASSWORD, SETUP
from ciqcredit.errors import DomainError
from ciqcredit.organizations.models import User
from ciqcredit.organizations.services import user_create


def log_in(username: str, password: str = PASSWORD, client: Client | None = None):
    client = client or Client()
    return client, client.post("/login/", {"username": username, "password": password})


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short1", "太短"), ("12345678901", "只包含数字"), ("password123", "太常见"), ("wang_zhiqiang", "相似")],
)
def test_create_user_enforces_the_password_policy(cast, password, reason):
    with pytest.raises(DomainError) as refused:
        user_create(
            username="wang_zhiqiang", organization=cast.bureau_a, department_kind="credit",
            roles=["viewer"], password=password, actor=SETUP,
        )  # fmt: skip
    assert refused.value.code == "weak_password" and reason in refused.value.message
    assert not User.objects.filter(username="wang_zhiqiang").exists()


def test_the_create_user_command_refuses_a_weak_password(cast):
    with pytest.raises(CommandError, match="weak_password"):
        call_command("create_user", "li_si", "--org", "470000", "--role", "viewer", "--password", "123456789")


def test_login_failed_login_and_logout_are_audited(cast):
    _, failed = log_in("a_credit", "wrong-password-1")
    assert failed.status_code == 200 and "用户名或密码不正确" in failed.content.decode()
    client, ok = log_in("a_credit")
    assert ok.status_code == 302
    client.post("/logout/")
    logins = AuditEntry.objects.filter(action__startswith="organizations.user.log").order_by("id")
    actions = list(logins.values_list("action", "actor_label"))
    assert actions == [
        ("organizations.user.login_failed", "system:login"),
        ("organizations.user.logged_in", "a_credit"),
        ("organizations.user.logged_out", "a_credit"),
    ]


def test_repeated_failures_lock_the_account_with_a_chinese_429(cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in("a_credit", "wrong-password-1")
    _, locked = log_in("a_credit")  # even the right password, while locked
    assert locked.status_code == 429
    assert "登录已暂时锁定" in locked.content.decode()
    _, other = log_in("a_branch")  # other accounts are not affected
    assert other.status_code == 302


def test_an_idle_session_ends(cast, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    client, _ = log_in("a_credit")
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))  # 30 idle minutes later
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_deactivated_accounts_cannot_log_in_nor_use_tokens(cast):
    out = io.StringIO()
    call_command("deactivate_user", "a_credit", "--reason", "调离", stdout=out)
    assert "已停用" in out.getvalue()
    assert log_in("a_credit")[1].status_code == 200  # the login form again
    assert cast.api(cast.staff_token_a).get("/api/v1/organizations").status_code == 401
    entry = AuditEntry.objects.get(action="organizations.user.deactivated")
    assert entry.new == {"is_active": False, "reason": "调离"}


def test_expired_accounts_cannot_log_in_nor_use_tokens(cast, settings):
    settings.CIQCREDIT_TODAY = dt.date(2026, 3, 1)
    User.objects.filter(username="a_credit").update(expires_on=dt.date(2026, 2, 28))
    assert log_in("a_credit")[1].status_code == 200
    assert cast.api(cast.staff_token_a).get("/api/v1/organizations").status_code == 401
    User.objects.filter(username="a_credit").update(expires_on=dt.date(2026, 3, 1))  # the last day still counts
    assert log_in("a_credit")[1].status_code == 302


def test_people_change_their_password_under_the_policy(cast):
    client, _ = log_in("a_credit")
    page = client.get("/password/")
    assert page.status_code == 200 and "修改密码" in page.content.decode()
    weak = client.post(
        "/password/", {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert weak.status_code == 200 and "只包含数字" in weak.content.decode()
    new = {"new_password1": "Qz7-river-lamp", "new_password2": "Qz7-river-lamp"}
    wrong = client.post("/password/", {"old_password": "nope", **new})
    assert wrong.status_code == 200
    done = client.post("/password/", {"old_password": PASSWORD, **new})
    assert done.status_code == 302 and client.get("/").status_code == 200  # still logged in
    assert log_in("a_credit", "Qz7-river-lamp")[1].status_code == 302
    assert AuditEntry.objects.filter(action="organizations.user.password_changed", actor_label="a_credit").count() == 1


def test_an_administrator_resets_a_password(cast):
    out = io.StringIO()
    call_command("reset_password", "a_branch", stdout=out)
    new_password = out.getvalue().strip().splitlines()[-1]
    assert log_in("a_branch", new_password)[1].status_code == 302
    assert log_in("a_branch", PASSWORD)[1].status_code == 200
    with pytest.raises(CommandError, match="weak_password"):
        call_command("reset_password", "a_branch", "--password", "11112222")
    assert AuditEntry.objects.filter(action="organizations.user.password_reset").count() == 1
