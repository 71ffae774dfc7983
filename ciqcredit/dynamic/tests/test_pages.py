"""The pages: case list with deadlines and overdue flags, a case with its notice and delivery form, the PDF,
the HQ batch page; outsiders get 404."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ciqcredit.actors import Actor
from ciqcredit.dynamic.selectors import case_steps
from ciqcredit.dynamic.services import dynamic_recheck, notice_deliver
from ciqcredit.dynamic.tests.fixtures import SETUP, fixture_grade, fixture_record, proof


@pytest.fixture
def listing(web):
    ent = web.cast.enterprise
    fixture_grade(ent, "A")
    fixture_record(ent, web.items["blacklist"], dt.date(2026, 2, 1), user=web.cast.branch_a_user)
    [case] = dynamic_recheck(enterprise=ent, trigger_record=None, actor=SETUP)
    return case


def test_list_shows_case_notice_and_overdue_step(web, listing):
    cast = web.cast
    due = next(s for s in case_steps(listing) if s.step == "dynamic.delivery").due_on
    web.on(due + dt.timedelta(days=1))
    text = cast.client_for(cast.bureau_a_user).get("/dynamic/").content.decode()
    assert "已逾期" in text and "逾期未办步骤" in text  # the notice is not delivered in time
    notice_deliver(
        notice=listing.notice,
        method="direct",
        delivered_on=dt.date(2026, 3, 2),
        recipient="王经理",
        proof_file=proof(),
        actor=Actor.of(cast.bureau_a_user),
    )
    web.on(dt.date(2026, 3, 13))
    page = cast.client_for(cast.bureau_a_user).get("/dynamic/")
    text = page.content.decode()
    assert page.status_code == 200
    assert listing.notice.number in text and "陈述申辩期" in text
    # The defence period (due 2026-03-12) is the enterprise's: it lapses, nobody is overdue.
    assert "期限届满，企业未提出申辩" in text and "已逾期" not in text
    assert listing.notice.number not in cast.client_for(cast.bureau_b_user).get("/dynamic/").content.decode()


def test_detail_delivery_form_and_pdf(web, listing):
    cast = web.cast
    officer = cast.client_for(cast.bureau_a_user)
    detail = officer.get(f"/dynamic/cases/{listing.pk}/").content.decode()
    assert "登记送达" in detail and "伪造检验检疫单证" in detail
    collector_view = cast.client_for(cast.branch_a_user).get(f"/dynamic/cases/{listing.pk}/").content.decode()
    assert "登记送达" not in collector_view
    response = officer.post(
        f"/dynamic/cases/{listing.pk}/deliver/",
        {
            "method": "direct",
            "delivered_on": "2026-03-02",
            "recipient": "王经理",
            "proof_file": SimpleUploadedFile("receipt.pdf", b"signed"),
        },
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == "defence_period"
    pdf = officer.get(f"/dynamic/notices/{listing.notice.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    for outsider in (cast.bureau_b_user, cast.enterprise_user):
        assert cast.client_for(outsider).get(f"/dynamic/cases/{listing.pk}/").status_code in (403, 404)
    assert cast.client_for(cast.bureau_b_user).get(f"/dynamic/cases/{listing.pk}/").status_code == 404
    assert cast.client_for(cast.bureau_b_user).get(f"/dynamic/notices/{listing.notice.pk}.pdf").status_code == 404


def test_refused_step_shows_the_chinese_message(web, listing):
    cast = web.cast
    officer = cast.client_for(cast.bureau_a_user)
    response = officer.post(f"/dynamic/cases/{listing.pk}/report/", follow=True)
    assert "此操作只能在" in response.content.decode()
    assert (
        cast.client_for(cast.branch_a_user).post(f"/dynamic/cases/{listing.pk}/cancel/", {"reason": "x"}).status_code
        == 403
    )


def test_batch_page(web, listing):
    cast = web.cast
    assert cast.client_for(cast.bureau_a_user).get("/dynamic/batches/").status_code == 200
    hq = cast.client_for(cast.hq_admin).get("/dynamic/batches/")
    assert hq.status_code == 200 and "暂无上报批次" in hq.content.decode()
    assert cast.client_for(None).get("/dynamic/batches/").status_code == 302


def test_a_refused_delivery_keeps_what_was_typed(web, listing):
    officer = web.cast.client_for(web.cast.bureau_a_user)
    page = officer.get(f"/dynamic/cases/{listing.pk}/").content.decode()
    assert re.search(r'name="delivered_on" value="\d{4}-\d{2}-\d{2}"', page)  # a date the input accepts
    response = officer.post(
        f"/dynamic/cases/{listing.pk}/deliver/",
        {"method": "post", "delivered_on": "2026-03-02", "recipient": "王经理"},  # no proof file
    )
    text = response.content.decode()
    assert response.status_code == 422 and "送达回证" in text
    assert 'value="王经理"' in text and 'value="2026-03-02"' in text and 'value="post" selected' in text
    listing.refresh_from_db()
    assert listing.status != "defence_period"


def test_defence_is_offered_only_within_its_period_and_the_page_says_why_not_after(web, listing):
    cast = web.cast
    officer = cast.client_for(cast.bureau_a_user)
    notice_deliver(
        notice=listing.notice,
        method="direct",
        delivered_on=dt.date(2026, 3, 2),
        recipient="王经理",
        proof_file=proof(),
        actor=Actor.of(cast.bureau_a_user),
    )
    no_defence = f"/dynamic/cases/{listing.pk}/no-defence/"
    web.on(dt.date(2026, 3, 12))  # the last day of the defence period
    page = officer.get(f"/dynamic/cases/{listing.pk}/").content.decode()
    assert ">受理申辩</button>" in page and "陈述申辩期限至2026-03-12" in page
    assert no_defence not in page  # the service refuses it while the period runs

    web.on(dt.date(2026, 3, 13))
    page = officer.get(f"/dynamic/cases/{listing.pk}/").content.decode()
    assert ">受理申辩</button>" not in page
    assert "陈述申辩期限已于2026-03-12届满，不能再受理期满后提出的申辩" in page and no_defence in page
    # A defence received within the period may still be recorded: the form offers the period's last day.
    assert re.search(r'name="received_on"[^>]*value="2026-03-12"', page)
    response = officer.post(
        f"/dynamic/cases/{listing.pk}/defence/", {"received_on": "2026-03-12", "text": "我司不存在伪造行为"}
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == "defence_received"


def test_the_delivery_receipt_is_served_to_those_who_see_the_case(web, listing, django_capture_on_commit_callbacks):
    """The case page linked the receipt by its storage path, which nothing serves (404); it is served by the
    case's scope, as the notice's PDF is."""
    cast = web.cast
    with django_capture_on_commit_callbacks(execute=True):  # the file is written on commit
        notice_deliver(
            notice=listing.notice,
            method="direct",
            delivered_on=dt.date(2026, 3, 2),
            recipient="王经理",
            proof_file=proof(),
            actor=Actor.of(cast.bureau_a_user),
        )
    page = cast.client_for(cast.bureau_a_user).get(f"/dynamic/cases/{listing.pk}/").content.decode()
    [href] = re.findall(r'<a href="([^"]+)">送达回证</a>', page)
    response = cast.client_for(cast.bureau_a_user).get(href)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 signed receipt"
    assert cast.client_for(cast.bureau_b_user).get(href).status_code == 404
