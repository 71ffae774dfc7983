"""What needs attention: in the to-do lists (the portal's home, the staff queue page), and by e-mail where an
address is set (mail after commit; a deadline within three working days reminded once)."""

import datetime as dt

from django.core import mail
from django.core.management import call_command

from ciqcredit.portal.models import Reminder
from ciqcredit.portal.tests.fixtures import listing_case_sent


def test_enterprise_todos_show_the_new_notice_then_the_defence_deadline(world):
    case = listing_case_sent(world)
    client = world.cast.client_for(world.cast.enterprise_user)
    home = client.get("/portal/").content.decode()
    assert f"书面告知书{case.notice.number}待查阅" in home
    client.get(f"/portal/notices/{case.notice.number}/")
    world.on(dt.date(2026, 3, 9))  # Monday; the defence period ends Thursday 03-12
    home = client.get("/portal/").content.decode()
    assert "待查阅" not in home and "可于2026年3月12日前提交陈述申辩" in home and "三个工作日内到期" in home


def test_deadline_reminders_are_mailed_once(world, django_capture_on_commit_callbacks):
    world.cast.enterprise_user.email = "qiye@example.com"
    world.cast.enterprise_user.save(update_fields=["email"])
    case = listing_case_sent(world)
    world.cast.client_for(world.cast.enterprise_user).get(f"/portal/notices/{case.notice.number}/")
    world.on(dt.date(2026, 3, 5))  # five working days before: nothing yet
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_deadlines")
    assert mail.outbox == []
    world.on(dt.date(2026, 3, 9))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_deadlines")
        call_command("notify_deadlines")  # the same day again: not sent twice
    assert [m.to for m in mail.outbox] == [["qiye@example.com"]]
    assert "2026年3月12日" in mail.outbox[0].body and mail.outbox[0].subject.endswith("陈述申辩期限即将届满")
    assert Reminder.objects.count() == 1


def test_objection_filed_mails_the_reviewers(world, django_capture_on_commit_callbacks):
    from ciqcredit.portal.tests.fixtures import downgrade_case_sent

    world.cast.branch_a_reviewer.email = "shenhe@example.com"
    world.cast.branch_a_reviewer.save(update_fields=["email"])
    _, first, _ = downgrade_case_sent(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = world.cast.client_for(world.cast.enterprise_user).post(
            "/api/v1/me/objections", {"record": first.pk, "reasons": "不认可"}
        )
    assert response.status_code == 201, response.content
    assert [m.to for m in mail.outbox] == [["shenhe@example.com"]] and first.association_no in mail.outbox[0].body
