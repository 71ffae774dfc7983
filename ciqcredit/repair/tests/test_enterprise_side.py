"""The enterprise's side of repair and AA, in the portal and the `me` API: its own enterprise only; another
enterprise's user sees nothing of it, staff are refused the portal; the staff review pages are scoped."""

import datetime as dt

from django.utils import timezone

from ciqcredit.actors import Actor
from ciqcredit.dynamic.tests.fixtures import SETUP, fixture_grade, listed_case
from ciqcredit.organizations.services import token_create
from ciqcredit.portal.tests.fixtures import other_enterprise_user
from ciqcredit.rating.models import AAApplication, AARequest, AARequestStatus, MonthlyActivity
from ciqcredit.rating.services.aa import aa_request_accept
from ciqcredit.repair.models import RepairApplication, RepairStatus


def test_post_me_repair_applications_before_and_after_the_clean_period(world):
    listed_case(world)
    _, token = token_create(user=world.cast.enterprise_user, label="erp", actor=SETUP)
    api = world.cast.api(token)
    world.on(dt.date(2026, 9, 1))
    early = api.post("/api/v1/me/repair-applications", {"rectification": "已整改"}, content_type="application/json")
    assert early.status_code == 409 and early.json()["code"] == "too_early"
    assert early.json()["details"]["next_allowed_on"] == "2026-10-08" and "2026-10-08" in early.json()["message"]
    standing = api.get("/api/v1/me/repair-applications").json()
    assert standing["listed"] and not standing["may_apply"] and standing["earliest"] == "2026-10-08"

    world.on(dt.date(2026, 10, 8))
    empty = api.post("/api/v1/me/repair-applications", {"rectification": ""}, content_type="application/json")
    assert empty.status_code == 422
    done = api.post("/api/v1/me/repair-applications", {"rectification": "已整改"}, content_type="application/json")
    assert done.status_code == 201 and done.json()["state"] == "已提交，待受理"
    assert "id" not in done.json()
    listing = api.get("/api/v1/me/repair-applications").json()
    assert len(listing["applications"]) == 1 and not listing["may_apply"]

    other = world.cast.client_for(other_enterprise_user(world.cast))
    assert other.get("/api/v1/me/repair-applications").json()["applications"] == []
    staff = world.cast.api(world.cast.staff_token_a)
    assert (
        staff.post(
            "/api/v1/me/repair-applications", {"rectification": "x"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_portal_repair_page_and_the_office_review_pages(world):
    listed_case(world)
    world.on(dt.date(2026, 10, 8))
    client = world.cast.client_for(world.cast.enterprise_user)
    page = client.get("/portal/applications/repair/").content.decode()
    assert "2026年10月8日" in page and "提交信用修复申请" in page
    response = client.post("/portal/applications/repair/", {"rectification": "建立单证复核制度"})
    assert response.status_code == 302
    application = RepairApplication.objects.get()
    assert "已提交，待受理" in client.get("/portal/applications/repair/").content.decode()

    other = world.cast.client_for(other_enterprise_user(world.cast))
    assert world.cast.enterprise.name not in other.get("/portal/applications/repair/").content.decode()
    assert world.cast.client_for(world.cast.bureau_a_user).get("/portal/applications/repair/").status_code == 403

    officer = world.cast.client_for(world.cast.bureau_a_user)
    assert world.cast.enterprise.name in officer.get("/repair/").content.decode()
    assert "待受理的信用修复申请" in officer.get("/records/queue/").content.decode()
    assert world.cast.client_for(world.cast.bureau_b_user).get(f"/repair/{application.pk}/").status_code == 404
    officer.post(f"/repair/{application.pk}/", {"action": "accept"})
    application.refresh_from_db()
    assert application.status == RepairStatus.ACCEPTED
    assert "观察期" in client.get("/portal/applications/repair/").content.decode()


def _aa_ready(world):
    """An enterprise continuously at A for 13 months with a low declaration error rate last year."""
    ent = world.cast.enterprise
    fixture_grade(ent, "A", on=dt.date(2025, 1, 1))
    now = timezone.now()
    MonthlyActivity.objects.create(
        enterprise=ent,
        month=dt.date(2025, 6, 1),
        declarations=500,
        declaration_errors=1,
        received_at=now,
        updated_at=now,
    )
    return ent


def test_aa_page_shows_each_condition_and_feeds_the_bureau_procedure(world):
    _aa_ready(world)
    client = world.cast.client_for(world.cast.enterprise_user)
    page = client.get("/portal/applications/aa/").content.decode()
    assert "连续12个月以上为A级" in page and "不符合" in page  # the two stated facts are not stated yet
    checked = client.post(
        "/portal/applications/aa/", {"clean_years_ok": "on", "other_regulators_clean_months": "24", "action": "check"}
    ).content.decode()
    assert "不符合" not in checked and not AARequest.objects.exists()
    response = client.post(
        "/portal/applications/aa/",
        {"clean_years_ok": "on", "other_regulators_clean_months": "24", "statement": "申请AA", "action": "submit"},
    )
    assert response.status_code == 302
    request = AARequest.objects.get()
    assert request.status == AARequestStatus.SUBMITTED and not AAApplication.objects.exists()  # grants nothing

    officer = world.cast.client_for(world.cast.bureau_a_user)
    assert "企业在线提交的AA级申请" in officer.get("/rating/aa/").content.decode()
    assert (
        "企业在线提交的AA级申请"
        not in world.cast.client_for(world.cast.bureau_b_user).get("/rating/aa/").content.decode()
    )
    aa_request_accept(
        request=request, clean_years_ok=True, other_regulators_clean_months=24, actor=Actor.of(world.cast.bureau_a_user)
    )
    request.refresh_from_db()
    assert request.status == AARequestStatus.ACCEPTED and request.application.eligible
    assert request.application.status == "submitted"  # HQ's batch decides, as for any AA application


def test_aa_submission_refused_while_a_condition_fails(world):
    fixture_grade(world.cast.enterprise, "B")
    client = world.cast.client_for(world.cast.enterprise_user)
    page = client.post(
        "/portal/applications/aa/",
        {"clean_years_ok": "on", "other_regulators_clean_months": "24", "action": "submit"},
        follow=True,
    ).content.decode()
    assert "尚不符合AA级条件" in page and not AARequest.objects.exists()


def test_the_office_rejects_on_its_page_and_the_enterprise_reads_when_to_apply_again(world):
    listed_case(world)
    world.on(dt.date(2026, 10, 8))
    client = world.cast.client_for(world.cast.enterprise_user)
    client.post("/portal/applications/repair/", {"rectification": "整改中"})
    application = RepairApplication.objects.get()
    officer = world.cast.client_for(world.cast.bureau_a_user)
    officer.post(f"/repair/{application.pk}/", {"action": "reject", "reason": "整改尚未完成"})
    application.refresh_from_db()
    assert application.status == RepairStatus.REJECTED
    page = client.get("/portal/applications/repair/").content.decode()
    assert "不予受理" in page and "整改尚未完成" in page and "2027-01-08" in page


def test_aa_page_offers_no_second_application_while_one_is_open(world):
    """With an application waiting for the bureau the page shows the conditions as checked when it was submitted,
    not the form again (whose submission the service refuses)."""
    _aa_ready(world)
    client = world.cast.client_for(world.cast.enterprise_user)
    client.post(
        "/portal/applications/aa/",
        {"clean_years_ok": "on", "other_regulators_clean_months": "24", "action": "submit"},
    )
    assert AARequest.objects.filter(status=AARequestStatus.SUBMITTED).exists()
    page = client.get("/portal/applications/aa/").content.decode()
    assert 'id="aa-form"' not in page and "提交AA级申请" not in page
    assert "已有在办的AA级申请" in page and "提交时的条件核查结果" in page
    assert "不符合" not in page  # the facts stated with the application, not an empty declaration
