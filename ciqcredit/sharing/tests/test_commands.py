"""Scripted set-up: a partner, its client and an agreement by command, then a read within it."""

import pytest
from django.core.management import CommandError, call_command

from ciqcredit.sharing.models import AgreementStatus, SharingAgreement
from ciqcredit.sharing.tests.conftest import TODAY


def test_grant_sharing_by_command(shared, capsys):
    call_command(
        "grant_sharing", "900001", "--lists", "serious", "aa", "--from", TODAY.isoformat(), "--to", "2026-12-31"
    )
    agreement = SharingAgreement.objects.get(partner=shared.partners.court)
    assert agreement.status == AgreementStatus.APPROVED and agreement.lists == ["aa", "serious"]
    assert agreement.valid_to.isoformat() == "2026-12-31" and "records" in agreement.fields
    assert "已批准共享协议" in capsys.readouterr().out
    assert shared.read(shared.partners.court_token, "/api/v1/sharing/lists/serious").status_code == 200
    assert shared.read(shared.partners.court_token, "/api/v1/sharing/lists/grades").status_code == 403


def test_grant_sharing_refuses_bad_input(shared):
    with pytest.raises(CommandError, match="不存在"):
        call_command("grant_sharing", "999999", "--lists", "aa", "--from", TODAY.isoformat())
    with pytest.raises(CommandError, match="截止日期不能早于起始日期"):
        call_command("grant_sharing", "900001", "--lists", "aa", "--from", "2026-06-15", "--to", "2026-06-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("grant_sharing", "900001", "--lists", "aa", "--from", "15/06/2026")
    assert not SharingAgreement.objects.exists()
