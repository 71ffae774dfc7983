"""The portal shows an enterprise only its own data: every page and endpoint naming another enterprise's notice,
case or record answers 404, and nothing of it appears in the other's lists."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.organizations.services import token_create
from ciqcredit.portal.tests.fixtures import listing_case_sent


@pytest.fixture
def owned(world):
    """A's notice (sent), its case (in the defence period after opening) and an effective record of A."""
    case = listing_case_sent(world)
    world.cast.client_for(world.cast.enterprise_user).get(f"/portal/notices/{case.notice.number}/")
    record = case.case_records.first().record
    return case, case.notice, record


def test_every_page_of_another_enterprise_answers_404(world, other, owned):
    case, notice, record = owned
    client = world.cast.client_for(other)
    for url in (
        f"/portal/notices/{notice.number}/",
        f"/portal/notices/{notice.number}/pdf/",
        f"/portal/cases/{case.pk}/",
        f"/portal/records/{record.pk}/objection/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/portal/cases/{case.pk}/", {"statement": "冒名申辩"}).status_code == 404
    assert client.post(f"/portal/records/{record.pk}/objection/", {"reasons": "冒名异议"}).status_code == 404
    for url in (
        "/portal/",
        "/portal/grade/",
        "/portal/records/",
        "/portal/notices/",
        "/portal/cases/",
        "/portal/objections/",
        "/portal/measures/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert (
            world.cast.enterprise.name not in html and notice.number not in html and record.association_no not in html
        )


def test_every_endpoint_of_another_enterprise_answers_404(world, other, owned):
    case, notice, record = owned
    _, token = token_create(user=other, label="erp", actor=Actor.job("t"))
    api = world.cast.api(token)
    assert api.get(f"/api/v1/me/notices/{notice.number}").status_code == 404
    assert api.post(f"/api/v1/me/cases/{case.pk}/defence", {"statement": "冒名"}).status_code == 404
    assert api.post("/api/v1/me/objections", {"record": record.pk, "reasons": "冒名"}).status_code == 404
    assert api.get("/api/v1/me/records").json()["count"] == 0
    assert api.get("/api/v1/me/notices").json()["count"] == 0
    assert api.get("/api/v1/me").json()["credit_code"] != world.cast.enterprise.credit_code
    case.refresh_from_db()
    assert case.status == "defence_period" and not record.objections.exists()


def test_staff_pages_of_the_case_stay_closed_to_enterprise_users(world, owned):
    case, notice, _ = owned
    client = world.cast.client_for(world.cast.enterprise_user)
    assert client.get(f"/dynamic/cases/{case.pk}/").status_code in (403, 404)
    assert client.get(f"/dynamic/notices/{notice.pk}.pdf").status_code in (403, 404)


def test_pages_show_no_staff_names_or_internal_ids(world, owned):
    case, notice, _ = owned
    client = world.cast.client_for(world.cast.enterprise_user)
    for url in (
        "/portal/",
        "/portal/grade/",
        "/portal/records/",
        "/portal/notices/",
        f"/portal/notices/{notice.number}/",
        "/portal/cases/",
        f"/portal/cases/{case.pk}/",
        "/portal/objections/",
    ):
        html = client.get(url).content.decode()
        for staff in ("张信用", "李采集", "王审核", "a_credit", "a_branch"):
            assert staff not in html, (url, staff)
        assert f"#{case.pk}" not in html and "案件编号" not in html


def test_an_unconfirmed_proposal_is_not_shown(world):
    from ciqcredit.dynamic.tests.fixtures import reach_downgrade

    case = reach_downgrade(world, world.cast.enterprise, confirm=False)
    client = world.cast.client_for(world.cast.enterprise_user)
    assert "即时降级" not in client.get("/portal/cases/").content.decode()
    assert client.get(f"/portal/cases/{case.pk}/").status_code == 404


def test_the_objection_page_shows_its_record_even_past_the_records_list(world, owned, monkeypatch):
    """The page reads the one record it is about, not the whole list (which stops at RECORD_LIMIT)."""
    from ciqcredit.portal import selectors

    _, _, record = owned
    monkeypatch.setattr(selectors, "RECORD_LIMIT", 0)
    page = world.cast.client_for(world.cast.enterprise_user).get(f"/portal/records/{record.pk}/objection/")
    assert page.status_code == 200 and record.association_no in page.content.decode()
