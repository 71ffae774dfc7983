"""The collection pages: forms per route, my queue, detail with history, search and XLSX export; scope."""

import datetime as dt
import io

from openpyxl import load_workbook

from ciqcredit.actors import Actor
from ciqcredit.collection.intake import eciq_intake
from ciqcredit.collection.models import CreditRecord, Exclusion
from ciqcredit.collection.services import record_create
from ciqcredit.collection.tests.conftest import TODAY, eciq_entry, supervision_args
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.testing import credit_code_for


def form_data(world, **extra):
    data = {
        "route": "supervision",
        "credit_code": world.enterprise.credit_code,
        "item_code": "S04",
        "association_no": "4752002170001",
        "occurred_on": "2017-10-09",
        "discovered_on": "2017-10-10",
        "verified_on": "2017-10-11",
        "description": "单证不符",
        "responsible": "principal",
        "submit": "1",
    }
    data.update(extra)
    return data


def test_collect_through_the_form(world):
    client = world.client_for(world.branch_a_user)
    page = client.get("/records/new/?route=penalty")
    assert "行政处罚信息只能由结案部门" in page.content.decode()
    response = client.post("/records/new/", form_data(world))
    record = CreditRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/records/{record.pk}/"
    assert record.status == "awaiting_confirmation"


def test_wrong_route_is_explained_on_the_page(world):
    client = world.client_for(world.branch_a_user)
    response = client.post("/records/new/", form_data(world, route="penalty", item_code="P01"))
    assert response.status_code == 200
    assert "行政处罚信息只能由结案部门的采集人员采集" in response.content.decode()
    assert not CreditRecord.objects.exists()


def test_unknown_subject_offers_registration_and_exclusion(world):
    client = world.client_for(world.branch_a_user)
    code = credit_code_for(4242)
    page = client.post("/records/new/", form_data(world, credit_code=code)).content.decode()
    assert "尚未纳入企业名录" in page and "先登记该企业" in page and "不适合纳入" in page
    registered = client.post(
        "/records/new/subject/",
        {"credit_code": code, "name": "新登记贸易公司", "types": ["importer"]},
        HTTP_HX_REQUEST="true",
    )
    assert "已登记企业" in registered.content.decode()
    assert Enterprise.objects.get(credit_code=code).registering_org == world.branch_a
    client.post("/records/new/", form_data(world, credit_code=code))
    assert CreditRecord.objects.get().enterprise.credit_code == code
    client.post(
        "/records/exclusions/new/",
        {"subject_name": "外籍船舶“海星”", "reason": "外籍船舶不纳入"},
    )
    assert Exclusion.objects.get().subject_name == "外籍船舶“海星”"


def test_queue_routes_eciq_records_by_stage(world):
    eciq_intake(
        entries=[
            eciq_entry(world, 1, item_code="E03", stage="inspection"),
            eciq_entry(world, 2, item_code="E02", stage="declaration"),
        ],
        actor=Actor.of(world.api_client),
    )
    inspection = world.client_for(world.branch_a_reviewer).get("/records/queue/").content.decode()
    declaration = world.client_for(world.declaration_reviewer).get("/records/queue/").content.decode()
    assert "475200217000000001" in inspection and "475200217000000002" not in inspection
    assert "475200217000000002" in declaration and "475200217000000001" not in declaration
    assert "notices_to_deliver" not in inspection  # the hook is a template block, not text


def test_detail_shows_history_and_confirms(world):
    record = record_create(actor=Actor.of(world.branch_a_user), submit=True, **supervision_args(world))
    reviewer = world.client_for(world.branch_a_reviewer)
    page = reviewer.get(f"/records/{record.pk}/").content.decode()
    assert "审核确认" in page and "信用信息提交" in page and "collection.record.submitted" not in page
    reviewer.post(f"/records/{record.pk}/confirm/")
    record.refresh_from_db()
    assert record.status == "effective"
    page = reviewer.get(f"/records/{record.pk}/").content.decode()
    assert "信用信息生效" in page and "撤销" in page


def test_outsiders_get_404_or_403(world):
    record = record_create(actor=Actor.of(world.branch_a_user), submit=True, **supervision_args(world))
    assert world.client_for(world.bureau_b_user).get(f"/records/{record.pk}/").status_code == 404
    assert world.client_for(world.bureau_b_user).post(f"/records/{record.pk}/confirm/").status_code == 404
    assert world.client_for(world.enterprise_user).get("/records/queue/").status_code == 403
    assert world.client_for(world.branch_a_reviewer).get("/records/new/").status_code == 403
    assert world.client_for(None).get("/records/").status_code == 302
    record.refresh_from_db()
    assert record.status == "awaiting_confirmation"


def test_search_and_export_in_scope(world):
    record_create(actor=Actor.of(world.branch_a_user), submit=True, **supervision_args(world))
    record_create(
        actor=Actor.of(world.branch_a_user),
        **supervision_args(world, act_ref="ACT-2", item_code="S01", association_no=""),
    )
    client = world.client_for(world.bureau_a_user)
    page = client.get("/records/", {"status": "draft"}).content.decode()
    assert "J47520020171020001" in page and "4752002170001<" not in page
    export = client.get("/records/export.xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert rows[0][0] == "编号" and len(rows) == 3
    empty = world.client_for(world.bureau_b_user).get("/records/export.xlsx")
    assert len(list(load_workbook(io.BytesIO(b"".join(empty.streaming_content))).active.values)) == 1


def test_overdue_column_and_filter_cover_review_lateness(world, settings):
    dates = {"occurred_on": TODAY, "discovered_on": TODAY, "verified_on": TODAY}
    on_time = record_create(actor=Actor.of(world.branch_a_user), submit=True, **supervision_args(world, **dates))
    assert on_time.review_deadline is not None and on_time.late_days == 0
    settings.CIQCREDIT_TODAY = on_time.review_deadline.due_on + dt.timedelta(days=3)
    client = world.client_for(world.bureau_a_user)
    page = client.get("/records/").content.decode()
    assert "已过审核期限，尚未确认" in page and f"审核 {on_time.review_deadline.due_on:%Y-%m-%d}" in page
    late = client.get("/records/?late=1").context["page_obj"].object_list
    assert [r.pk for r in late] == [on_time.pk]
    assert not client.get("/records/?late=0").context["page_obj"].object_list


def test_the_queue_offers_collecting_only_to_those_who_may_collect(cast):
    link = 'href="/records/new/"'
    for user in (cast.hq_rules, cast.hq_admin, cast.branch_a_reviewer):
        client = cast.client_for(user)
        assert link not in client.get("/records/queue/").content.decode(), user.username
        assert client.get("/records/new/").status_code == 403
    assert link in cast.client_for(cast.branch_a_user).get("/records/queue/").content.decode()
