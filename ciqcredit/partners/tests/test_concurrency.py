"""Snapshots sent at the same moment on PostgreSQL (threads with their own connections, committed for real): the
list row's lock serializes them, so the same snapshot twice still makes one version."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.partners.models import PartnerListEntry, PartnerListVersion
from ciqcredit.partners.services import partner_list_snapshot
from ciqcredit.testing import credit_code_for, require_postgres, run_together

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_the_same_snapshot_at_once_makes_one_version(cast):
    require_postgres()
    from ciqcredit.partners.tests.fixtures import make_partners

    partners = make_partners()
    codes = [credit_code_for(900 + n) for n in range(50)]

    def send():
        return partner_list_snapshot(
            partner_list=partners.court_list, entries=codes, actor=Actor.of(partners.court_client)
        ).changed

    assert sorted(run_together([send] * 4)) == [False, False, False, True]
    assert PartnerListVersion.objects.filter(partner_list=partners.court_list).count() == 1
    assert PartnerListEntry.objects.filter(partner_list=partners.court_list).count() == 50
