"""The sharing pages: who may open which, approving an agreement, lists with versions and diff, the access log
and its export, feedback, and the partner lists on the enterprise page."""

import pytest

from ciqcredit.audit.models import AuditEntry
from ciqcredit.partners.tests.fixtures import put_list
from ciqcredit.sharing.models import AgreementStatus
from ciqcredit.sharing.services import agreement_request
from ciqcredit.sharing.tests.conftest import SYSTEM, TODAY

HQ_ONLY = ["/sharing/", "/sharing/log/", "/sharing/feedback/", "/sharing/log/export.csv"]
STAFF = ["/sharing/lists/", "/sharing/lists/court_dishonest_debtors/", "/sharing/joint/"]


@pytest.mark.parametrize("path", HQ_ONLY + STAFF)
def test_who_opens_which_page(shared, path):
    cast = shared.cast
    assert cast.client_for(cast.hq_admin).get(path).status_code == 200
    assert cast.client_for(cast.bureau_a_user).get(path).status_code == (403 if path in HQ_ONLY else 200)
    assert cast.client_for(cast.enterprise_user).get(path).status_code == 403
    assert cast.client_for(shared.partners.court_client).get(path).status_code == 403
    assert cast.client_for(None).get(path).status_code == 302  # to the login page


def test_hq_approves_an_agreement_on_its_page(shared):
    agreement = agreement_request(
        partner=shared.partners.court,
        lists=["serious"],
        fields=["name"],
        purpose="失信联合惩戒",
        valid_from=TODAY,
        valid_to=None,
        actor=SYSTEM,
    )
    hq = shared.cast.client_for(shared.cast.hq_admin)
    assert "待批准" in hq.get("/sharing/").content.decode()
    refused = shared.cast.client_for(shared.cast.bureau_a_user).post(f"/sharing/agreements/{agreement.pk}/approve/")
    assert refused.status_code == 403
    response = hq.post(f"/sharing/agreements/{agreement.pk}/approve/")
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.APPROVED and agreement.decided_by == shared.cast.hq_admin
    assert AuditEntry.objects.filter(action="sharing.agreement.approved", target_id=str(agreement.pk)).exists()
    again = hq.post(f"/sharing/agreements/{agreement.pk}/approve/", follow=True)
    assert "不能再批准" in again.content.decode()


def test_hq_registers_an_agreement_by_form(shared):
    hq = shared.cast.client_for(shared.cast.hq_admin)
    response = hq.post(
        "/sharing/",
        {
            "action": "agreement",
            "partner": shared.partners.tax.pk,
            "lists": ["aa", "grades"],
            "shared_fields": ["grade"],
            "purpose": "守信联合激励",
            "valid_from": TODAY.isoformat(),
            "valid_to": "2026-01-01",
        },
    )
    assert "截止日期不能早于起始日期" in response.content.decode()
    assert not shared.partners.tax.agreements.exists()


def test_the_list_page_shows_versions_and_the_diff(shared):
    codes = [e.credit_code for e in shared.enterprises]
    put_list(shared.cast, shared.partners.court_token, "court_dishonest_debtors", codes[:2])
    put_list(shared.cast, shared.partners.court_token, "court_dishonest_debtors", codes[1:])
    page = shared.cast.client_for(shared.cast.bureau_a_user).get("/sharing/lists/court_dishonest_debtors/")
    html = page.content.decode()
    assert "第2版" in html and "新列入 1 条" in html and "移出 1 条" in html
    diff = html.split('id="diff"')[1]
    assert codes[2] in diff.split("移出")[0] and codes[0] in diff.split("移出")[1]
    older = shared.cast.client_for(shared.cast.hq_admin).get("/sharing/lists/court_dishonest_debtors/?a=0&b=1")
    assert "新列入 2 条" in older.content.decode()


def test_the_list_page_shows_changed_details(shared):
    code = shared.enterprises[0].credit_code
    put_list(
        shared.cast, shared.partners.court_token, "court_dishonest_debtors", [{"credit_code": code, "name": "旧名"}]
    )
    put_list(
        shared.cast, shared.partners.court_token, "court_dishonest_debtors", [{"credit_code": code, "name": "新名"}]
    )
    html = shared.cast.client_for(shared.cast.bureau_a_user).get("/sharing/lists/court_dishonest_debtors/").content
    page = html.decode()
    assert "信息变更 1 条" in page and "新列入 0 条" in page
    changed = page.split('id="diff"')[1].split("信息变更")[1]
    assert code in changed and "新名" in changed


def test_the_access_log_page_and_export(shared):
    shared.grant(shared.partners.court, ["aa"])
    shared.read(shared.partners.court_token, "/api/v1/sharing/lists/aa")
    shared.read(shared.partners.court_token, "/api/v1/sharing/lists/serious")
    hq = shared.cast.client_for(shared.cast.hq_admin)
    html = hq.get("/sharing/log/").content.decode()
    assert "最高人民法院" in html and "准予" in html and "协议不含该名单" in html
    refused_only = hq.get("/sharing/log/?allowed=no").content.decode()
    assert "协议不含该名单" in refused_only and "准予" not in refused_only.split('id="access-log"')[1]
    exported = hq.get("/sharing/log/export.csv")
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 3 and lines[0].startswith("时间,合作部门")
    assert exported["X-Content-SHA256"]


def test_the_enterprise_page_shows_its_partner_lists(shared):
    listed = shared.cast.enterprise
    put_list(shared.cast, shared.partners.court_token, "court_dishonest_debtors", [listed.credit_code])
    html = shared.cast.client_for(shared.cast.branch_a_user).get(f"/enterprises/{listed.credit_code}/").content.decode()
    section = html.split('id="partner-lists"')[1]
    assert "失信被执行人名单" in section and "最高人民法院" in section
    own = shared.cast.client_for(shared.cast.enterprise_user).get(f"/enterprises/{listed.credit_code}/")
    assert 'id="partner-lists"' not in own.content.decode()


def test_hq_revises_a_draft_of_joint_measures_by_file(shared):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ciqcredit.catalogue.choices import Kind
    from ciqcredit.catalogue.services import version_draft_create

    draft = version_draft_create(kind=Kind.JOINT, actor=SYSTEM)
    hq = shared.cast.client_for(shared.cast.hq_admin)
    assert "修订" in hq.get("/sharing/joint/").content.decode()
    good = (
        "rows:\n- {code: JM-1, list_code: court_dishonest_debtors, list_title: 失信被执行人名单, "
        "list_kind: punishment, area: inspection, title: 全部查验, sampling_ratio: '1'}\n"
    )
    response = hq.post("/sharing/joint/", {"file": SimpleUploadedFile("j.yaml", good.encode())}, follow=True)
    assert "已更新为1项措施" in response.content.decode()
    assert list(draft.joint_measures.values_list("code", flat=True)) == ["JM-1"]
    bad = hq.post("/sharing/joint/", {"file": SimpleUploadedFile("j.yaml", b"rows: [{code: X}]")}, follow=True)
    assert "联合奖惩措施有误" in bad.content.decode() and draft.joint_measures.count() == 1
    viewer = shared.cast.client_for(shared.cast.bureau_a_user)
    viewer.post("/sharing/joint/", {"file": SimpleUploadedFile("j.yaml", b"rows: []")})  # not an editor: ignored
    assert draft.joint_measures.count() == 1
    assert "修订" not in viewer.get("/sharing/joint/").content.decode()


def test_joint_measures_offer_drafting_only_to_those_who_may_draft(shared):
    """Bureau staff read the joint measures and their published versions; drafting, submitting and publishing
    are offered to HQ's rule maintainers and administrator only, and a bureau's upload is refused."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ciqcredit.catalogue.choices import Kind
    from ciqcredit.catalogue.services import version_draft_create

    version_draft_create(kind=Kind.JOINT, actor=SYSTEM)
    cast = shared.cast
    bureau = cast.client_for(cast.bureau_a_user).get("/sharing/joint/").content.decode()
    assert 'href="/rules/joint/"' in bureau  # the published versions stay readable
    for offer in ("新建草稿", "提交审核", "发布）", "修订", 'type="file"'):
        assert offer not in bureau
    rules = cast.client_for(cast.hq_rules).get("/sharing/joint/").content.decode()
    assert "新建草稿" in rules and "提交审核" in rules and 'type="file"' in rules and "发布）" not in rules
    admin = cast.client_for(cast.hq_admin).get("/sharing/joint/").content.decode()
    assert "新建草稿、提交审核与发布" in admin
    upload = SimpleUploadedFile("j.yaml", b"rows: []")
    assert cast.client_for(cast.bureau_a_user).post("/sharing/joint/", {"file": upload}).status_code == 403


def test_sharing_pages_link_only_to_the_sharing_pages_the_reader_may_open(shared):
    """hq_rules opens the joint measures (a rule) but not the partner lists; a bureau reads the lists but not HQ's
    agreements, log and feedback: the tabs shown are the ones that answer 200."""
    cast = shared.cast
    for user, shown, hidden in (
        (cast.hq_rules, [], ["/sharing/lists/", "/sharing/log/", "/sharing/feedback/", 'href="/sharing/"']),
        (cast.bureau_a_user, ["/sharing/lists/"], ["/sharing/log/", "/sharing/feedback/", 'href="/sharing/"']),
        (cast.hq_admin, ["/sharing/lists/", "/sharing/log/", "/sharing/feedback/", 'href="/sharing/"'], []),
    ):
        html = cast.client_for(user).get("/sharing/joint/").content.decode()
        nav = html.split('aria-label="信用共享"')[1].split("</nav>")[0]
        assert all(link in nav for link in shown) and not any(link in nav for link in hidden), user.username


def test_the_enterprise_page_links_a_partner_list_only_for_those_who_may_read_it(shared):
    listed = shared.cast.enterprise
    put_list(shared.cast, shared.partners.court_token, "court_dishonest_debtors", [listed.credit_code])
    link = 'href="/sharing/lists/court_dishonest_debtors/"'
    collector = shared.cast.client_for(shared.cast.branch_a_user)
    section = collector.get(f"/enterprises/{listed.credit_code}/").content.decode().split('id="partner-lists"')[1]
    assert "失信被执行人名单" in section and link not in section
    assert collector.get("/sharing/lists/court_dishonest_debtors/").status_code == 403
    officer = shared.cast.client_for(shared.cast.bureau_a_user)
    assert link in officer.get(f"/enterprises/{listed.credit_code}/").content.decode()


def test_an_agreement_decided_by_a_job_names_the_job_in_chinese(shared):
    from ciqcredit.sharing.services import agreement_approve

    agreement = agreement_request(
        partner=shared.partners.court,
        lists=["serious"],
        fields=["name"],
        purpose="失信联合惩戒",
        valid_from=TODAY,
        valid_to=None,
        actor=SYSTEM,
    )
    agreement_approve(agreement=agreement, actor=SYSTEM)
    html = shared.cast.client_for(shared.cast.hq_admin).get(f"/sharing/agreements/{agreement.pk}/").content.decode()
    assert "system:" not in html and "测试任务" in html
