"""API tokens as a government system keeps them: they expire, rotate with a grace period, are revoked by
command, and administrators see when each was last used."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.organizations.models import ApiToken
from ciqcredit.organizations.services import token_authenticate, token_create, token_lookup


def _token(cast, secret: str) -> ApiToken:
    return ApiToken.objects.get(prefix=secret[:10])


def test_tokens_expire_after_the_configured_lifetime(cast, settings):
    token = _token(cast, cast.staff_token_a)
    assert token.expires_at is not None
    lifetime = token.expires_at - token.created_at
    assert lifetime == dt.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    assert token_authenticate(cast.staff_token_a) == cast.bureau_a_user
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert token_authenticate(cast.staff_token_a) is None
    assert cast.api(cast.staff_token_a).get("/api/v1/organizations").status_code == 401


def test_last_use_is_recorded_and_shown_to_administrators(cast):
    assert _token(cast, cast.api_token).last_used_at is None
    assert cast.api(cast.api_token).get("/api/v1/organizations").status_code == 200
    used = _token(cast, cast.api_token).last_used_at
    assert used is not None and timezone.now() - used < dt.timedelta(minutes=1)
    page = cast.client_for(cast.hq_admin).get("/accounts/tokens/")
    html = page.content.decode()
    assert page.status_code == 200 and cast.api_token[:10] in html and "从未使用" in html  # the staff token
    assert used.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M") in html
    assert cast.api_token not in html  # never the secret
    assert cast.client_for(cast.bureau_a_user).get("/accounts/tokens/").status_code == 403


def test_rotation_gives_a_new_token_and_the_old_one_a_grace_period(cast):
    out = io.StringIO()
    call_command("rotate_token", cast.api_token[:10], "--grace-hours", "2", stdout=out)
    new_secret = out.getvalue().strip().splitlines()[-1]
    assert token_authenticate(new_secret) == cast.api_client
    old = _token(cast, cast.api_token)
    assert dt.timedelta(hours=1, minutes=59) < old.expires_at - timezone.now() <= dt.timedelta(hours=2)
    assert token_authenticate(cast.api_token) == cast.api_client  # still, during the grace period
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    assert token_authenticate(cast.api_token) is None


def test_revoke_token_command(cast):
    out = io.StringIO()
    call_command("revoke_token", cast.api_token[:10], stdout=out)
    assert "已撤销" in out.getvalue()
    assert token_authenticate(cast.api_token) is None
    with pytest.raises(CommandError, match="unknown_token"):
        call_command("revoke_token", "ciq_nothere")
    with pytest.raises(CommandError, match="token_revoked"):
        call_command("rotate_token", cast.api_token[:10])


def test_the_administrator_revokes_and_rotates_on_the_page_within_scope(cast):
    admin = cast.client_for(cast.hq_admin)
    listing = admin.get("/accounts/tokens/").content.decode()
    assert "ciqcredit revoke_token" not in listing and "撤销" in listing and "轮换" in listing
    token, secret = token_create(user=cast.api_client, label="e-CIQ", actor=Actor.job("test"))

    # Rotation: the new secret is shown once, it authenticates, the old one keeps a grace period.
    answer = admin.post(f"/accounts/tokens/{token.prefix}/rotate/")
    page = answer.content.decode()
    assert answer.status_code == 200 and "只显示这一次" in page and "no-store" in answer["Cache-Control"]
    successor = ApiToken.objects.filter(user=cast.api_client, label="e-CIQ").exclude(pk=token.pk).get()
    new_secret = page.split('id="new-token">')[1].split("<")[0]
    assert token_lookup(new_secret).pk == successor.pk
    token.refresh_from_db()
    assert token.expires_at is not None and token_lookup(secret).pk == token.pk
    assert AuditEntry.objects.filter(action="organizations.token.rotated", target_id=str(token.pk)).exists()

    # Revocation: refused at once.
    assert admin.post(f"/accounts/tokens/{successor.prefix}/revoke/").status_code == 302
    assert token_lookup(new_secret) is None
    assert AuditEntry.objects.filter(action="organizations.token.revoked", target_id=str(successor.pk)).exists()
    assert "已撤销" in admin.get("/accounts/tokens/").content.decode()

    # Only the administrator, only by POST.
    assert admin.get(f"/accounts/tokens/{token.prefix}/revoke/").status_code == 405
    officer = cast.client_for(cast.bureau_a_user)
    assert officer.post(f"/accounts/tokens/{token.prefix}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
    assert admin.post("/accounts/tokens/nosuch00/revoke/").status_code == 404
