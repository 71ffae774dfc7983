"""Electronic delivery: a notice sent to the enterprise's account is delivered when one of its users opens it, or
on the day the rule set's period ends, whichever comes first; the platform's rows and audit are the proof."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.dynamic.electronic import notice_send_electronic, notices_deliver_due
from ciqcredit.dynamic.models import CaseStatus, DeliveryMethod, Notice
from ciqcredit.dynamic.tests.fixtures import deliver
from ciqcredit.errors import DomainError
from ciqcredit.portal.tests.fixtures import downgrade_case_sent, listing_case_sent
from ciqcredit.rating.services.grades import grade_on


def test_sending_records_the_deemed_day_and_mails_the_enterprise(world, django_capture_on_commit_callbacks):
    world.cast.enterprise_user.email = "qiye@example.com"
    world.cast.enterprise_user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        case = listing_case_sent(world)
    notice = case.notice
    assert notice.sent_to_account_at is not None
    assert notice.electronic_due_on == dt.date(2026, 3, 12)  # reference: 10 days after sending on 2026-03-02
    assert not notice.delivered
    assert [m.to for m in mail.outbox] == [["qiye@example.com"]] and notice.number in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="dynamic.notice.sent_electronic", target_id=str(notice.pk)).exists()
    with pytest.raises(DomainError) as again:
        notice_send_electronic(notice=notice, actor=Actor.of(world.cast.bureau_a_user))
    assert again.value.code == "notice_already_sent"


def test_an_enterprise_without_an_account_cannot_be_served_electronically(world):
    world.cast.enterprise_user.is_active = False
    world.cast.enterprise_user.save(update_fields=["is_active"])
    with pytest.raises(DomainError) as refused:
        listing_case_sent(world)
    assert refused.value.code == "no_enterprise_account"


def test_opening_delivers_and_carries_out_exactly_what_the_notice_says(world):
    case, _, _ = downgrade_case_sent(world)
    world.on(dt.date(2026, 3, 5))
    client = world.cast.client_for(world.cast.enterprise_user)
    page = client.get(f"/portal/notices/{case.notice.number}/")
    assert page.status_code == 200 and case.notice.content["intended_action"] in page.content.decode()
    notice = Notice.objects.get(pk=case.notice.pk)
    assert (notice.delivery_method, notice.delivered_on) == (DeliveryMethod.ELECTRONIC, dt.date(2026, 3, 5))
    assert notice.opened_by == world.cast.enterprise_user and "企业账户查阅" in notice.recipient
    case.refresh_from_db()
    assert case.status == CaseStatus.CARRIED_OUT and case.carried_out_on == dt.date(2026, 3, 5)
    now = grade_on(world.cast.enterprise, dt.date(2026, 3, 5))
    assert (now.grade, now.controlled) == (notice.content["to_grade"], notice.content["controlled"])
    assert AuditEntry.objects.filter(action="dynamic.notice.opened", actor_label="ent_user").count() == 1
    client.get(f"/portal/notices/{notice.number}/")  # opened again: nothing more happens
    assert AuditEntry.objects.filter(action="dynamic.notice.opened").count() == 1
    assert AuditEntry.objects.filter(action="dynamic.notice.delivered", target_id=str(notice.pk)).count() == 1


def test_unopened_notice_is_delivered_on_the_deemed_day_by_the_daily_job(world):
    case = listing_case_sent(world)
    world.on(dt.date(2026, 3, 11))
    assert notices_deliver_due() == []  # not yet
    world.on(dt.date(2026, 3, 14))  # the job ran late: the delivery is still dated the deemed day
    call_command("deliver_notices")
    notice = Notice.objects.get(pk=case.notice.pk)
    assert notice.delivered_on == dt.date(2026, 3, 12) and notice.opened_at is None
    assert notice.recipient.startswith("视为送达")
    case.refresh_from_db()
    assert case.status == CaseStatus.DEFENCE_PERIOD
    assert notices_deliver_due() == []  # idempotent


def test_opening_after_the_deemed_day_keeps_the_deemed_day(world):
    case = listing_case_sent(world)
    world.on(dt.date(2026, 3, 20))
    world.cast.client_for(world.cast.enterprise_user).get(f"/portal/notices/{case.notice.number}/")
    notice = Notice.objects.get(pk=case.notice.pk)
    assert notice.delivered_on == dt.date(2026, 3, 12) and notice.opened_at is not None


def test_paper_delivery_first_then_opening_only_marks_it_read(world):
    case = listing_case_sent(world)
    deliver(case.notice, world.cast.bureau_a_user, dt.date(2026, 3, 2))
    world.on(dt.date(2026, 3, 3))
    world.cast.client_for(world.cast.enterprise_user).get(f"/portal/notices/{case.notice.number}/")
    notice = Notice.objects.get(pk=case.notice.pk)
    assert (notice.delivery_method, notice.delivered_on) == ("direct", dt.date(2026, 3, 2))
    assert notice.opened_at is not None


def test_api_listing_does_not_open_but_reading_does(world):
    from ciqcredit.organizations.services import token_create

    case = listing_case_sent(world)
    _, token = token_create(user=world.cast.enterprise_user, label="erp", actor=Actor.job("t"))
    api = world.cast.api(token)
    [row] = api.get("/api/v1/me/notices").json()["items"]
    assert (row["number"], row["opened"], row["delivered"]) == (case.notice.number, False, False)
    body = api.get(f"/api/v1/me/notices/{case.notice.number}").json()
    assert body["delivered"] and body["delivered_on"] == "2026-03-02" and body["defence"]["days"] == 10


def test_staff_page_sends_to_the_account(world):
    from ciqcredit.dynamic.services import dynamic_recheck
    from ciqcredit.dynamic.tests.fixtures import SETUP, fixture_grade, fixture_record

    ent = world.cast.enterprise
    fixture_grade(ent, "A")
    for day in (dt.date(2025, 12, 1), dt.date(2026, 2, 20)):
        fixture_record(ent, world.items["serious"], day, user=world.cast.branch_a_user, penalised=True)
    [case] = [c for c in dynamic_recheck(enterprise=ent, trigger_record=None, actor=SETUP) if c.kind == "serious_list"]
    client = world.cast.client_for(world.cast.bureau_a_user)
    assert "发送至企业账户" in client.get(f"/dynamic/cases/{case.pk}/").content.decode()
    response = client.post(f"/dynamic/cases/{case.pk}/send-electronic/", follow=True)
    assert "已发送至企业账户" in response.content.decode()
    assert Notice.objects.get(pk=case.notice.pk).sent_to_account_at is not None
