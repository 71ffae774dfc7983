"""The public site shows the serious list, the grades the rules make public, the measures and certificate checks,
with no login and nothing else: no internal ids, no records, no staff."""

import datetime as dt
import re

import pytest
from django.test import Client

from ciqcredit.actors import Actor
from ciqcredit.application.tests.conftest import publish_measures
from ciqcredit.certificates.services import certificate_issue, certificate_revoke
from ciqcredit.dynamic.services import removal_apply, removal_decide
from ciqcredit.dynamic.tests.fixtures import SETUP, fixture_grade, listed_case
from ciqcredit.rating.services.grades import grade_change_apply
from ciqcredit.testing import credit_code_for, make_enterprise

SERIOUS_LIST_KEYS = {"name", "credit_code", "reason", "listed_on", "decision_number"}
STAFF_NAMES = ("张信用", "李采集", "王审核", "赵北京", "总局管理员", "a_credit", "a_branch")


@pytest.fixture
def anonymous() -> Client:
    return Client()


def _text(response) -> str:
    return response.content.decode()


def _no_staff_no_ids(body: str) -> None:
    for name in STAFF_NAMES:
        assert name not in body
    assert "/dynamic/" not in body and "/records/" not in body and "/enterprises/" not in body


def test_the_serious_list_shows_a_listing_at_once_and_drops_it_on_removal(world, anonymous, settings):
    settings.PUBLIC_CACHE_SECONDS = 60  # the listing/removal stamp in the key makes both show at once anyway
    ent = world.cast.enterprise
    assert ent.name not in _text(anonymous.get("/public/serious-list"))
    case = listed_case(world)
    page = anonymous.get("/public/serious-list")
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    body = _text(page)
    assert ent.name in body and ent.credit_code in body and "2026-04-08" in body and case.batch.number in body
    assert "伪造检验检疫单证" in body  # the conduct, by its item's name
    _no_staff_no_ids(body)
    data = anonymous.get("/api/public/v1/serious-list").json()
    assert data["count"] == 1 and set(data["items"][0]) == SERIOUS_LIST_KEYS
    assert data["items"][0]["decision_number"] == case.batch.number
    assert str(case.pk) not in {str(v) for v in data["items"][0].values()}

    world.on(dt.date(2026, 4, 20))
    removal = removal_apply(
        case=case, rectification="整改完成", accepted_on=dt.date(2026, 4, 20), actor=Actor.of(world.cast.bureau_a_user)
    )
    world.on(dt.date(2026, 10, 21))
    removal_decide(application=removal, actor=Actor.of(world.cast.bureau_a_user))
    assert ent.name not in _text(anonymous.get("/public/serious-list"))
    assert anonymous.get("/api/public/v1/serious-list").json() == {"count": 0, "items": []}


def test_the_grade_query_shows_aa_and_the_list_but_not_other_grades(world, anonymous):
    ent = world.cast.enterprise
    fixture_grade(ent, "A")
    aa = make_enterprise(7, world.cast.branch_a, name="深圳市优质进出口有限公司")
    grade_change_apply(enterprise=aa, grade="AA", cause="aa_batch", effective_from=dt.date(2026, 1, 5), actor=SETUP)

    answer = anonymous.get("/api/public/v1/grade", {"credit_code": ent.credit_code}).json()
    assert answer["name"] == ent.name and answer["grade"] is None and answer["serious_list"] is None
    page = _text(anonymous.get("/public/grade", {"credit_code": ent.credit_code}))
    assert ent.name in page and "依规则不向社会公开" in page and "信用等级：A级" not in page
    _no_staff_no_ids(page)

    assert anonymous.get("/api/public/v1/grade", {"credit_code": aa.credit_code}).json()["grade"] == "AA"
    assert "信用等级：AA级" in _text(anonymous.get("/public/grade", {"credit_code": aa.credit_code}))

    listed_case(world)
    listed = anonymous.get("/api/public/v1/grade", {"credit_code": ent.credit_code}).json()
    assert listed["serious_list"]["listed_on"] == "2026-04-08" and listed["grade"] is None

    bad = anonymous.get("/api/public/v1/grade", {"credit_code": "123"})
    assert bad.status_code == 422 and bad.json()["code"] == "bad_credit_code" and "18位" in bad.json()["message"]
    unknown = anonymous.get("/api/public/v1/grade", {"credit_code": credit_code_for(999)})
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    assert "统一社会信用代码应为18位" in _text(anonymous.get("/public/grade", {"credit_code": "123"}))


def test_certificate_check_valid_then_revoked(world, anonymous):
    fixture_grade(world.cast.enterprise, "A")
    certificate = certificate_issue(enterprise=world.cast.enterprise, actor=Actor.of(world.cast.enterprise_user))
    page = anonymous.get(f"/public/certificates/{certificate.code}")
    body = _text(page)
    assert page.status_code == 200 and "证明有效" in body and world.cast.enterprise.name in body
    _no_staff_no_ids(body)
    typed = anonymous.get("/public/certificates/", {"code": certificate.display_code.lower()})
    assert typed.status_code == 302 and typed["Location"].endswith(f"/public/certificates/{certificate.code}")
    api = anonymous.get(f"/api/public/v1/certificates/{certificate.display_code}").json()
    assert api["valid"] is True and api["grade"] == "A"

    certificate_revoke(certificate=certificate, reason="内部原因：误发", actor=Actor.of(world.cast.bureau_a_user))
    revoked = _text(anonymous.get(f"/public/certificates/{certificate.code}"))
    assert "证明已失效" in revoked and "撤销" in revoked and "误发" not in revoked
    api = anonymous.get(f"/api/public/v1/certificates/{certificate.code}").json()
    assert api["valid"] is False and "撤销" in api["reason"]

    missing = anonymous.get("/public/certificates/ABCDEFGHJKMNPQRS")
    assert missing.status_code == 404 and "未查询到" in _text(missing)
    assert anonymous.get("/api/public/v1/certificates/xyz").json()["code"] == "bad_code"


def test_the_published_measures_by_grade(world, anonymous):
    publish_measures()
    body = _text(anonymous.get("/public/measures"))
    assert "AA级" in body and "D级" in body and "申报放行" in body
    _no_staff_no_ids(body)


def test_home_and_every_public_page_answer_without_login(world, anonymous):
    for path in ("/public/", "/public/serious-list", "/public/grade", "/public/measures", "/public/certificates/"):
        response = anonymous.get(path)
        assert response.status_code == 200, path
        assert "public/public.css" in _text(response) and "web/ciqcredit.css" not in _text(response)
        assert not re.search(r"https?://(?!testserver)", _text(response)), path  # every asset is the platform's


def test_the_rate_limit_answers_429_with_retry_after_per_address(world, settings):
    settings.PUBLIC_RATE_LIMIT = 0.01
    settings.PUBLIC_RATE_BURST = 2
    first, second = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="203.0.113.8")
    assert first.get("/public/serious-list").status_code == 200
    assert first.get("/api/public/v1/serious-list").status_code == 200
    page = first.get("/public/serious-list")
    assert page.status_code == 429 and int(page["Retry-After"]) >= 1 and "请求过于频繁" in _text(page)
    api = first.get("/api/public/v1/serious-list")
    assert api.status_code == 429 and api.json()["code"] == "rate_limited" and api["Retry-After"]
    assert second.get("/public/serious-list").status_code == 200  # another address has its own budget
    staff = world.cast.client_for(world.cast.bureau_a_user)
    assert staff.get("/repair/").status_code == 200  # staff pages are not the public limiter's


def test_behind_a_proxy_the_configured_header_names_the_client(world, settings):
    settings.PUBLIC_RATE_LIMIT = 0.01
    settings.PUBLIC_RATE_BURST = 1
    settings.PUBLIC_CLIENT_ADDRESS_HEADER = "X-Real-IP"
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    assert proxy.get("/public/", headers={"X-Real-IP": "198.51.100.1"}).status_code == 200
    assert proxy.get("/public/", headers={"X-Real-IP": "198.51.100.2"}).status_code == 200
    assert proxy.get("/public/", headers={"X-Real-IP": "198.51.100.1"}).status_code == 429


def test_the_public_api_documents_itself_and_answers_unknown_paths_in_its_error_format(world, anonymous):
    document = anonymous.get("/api/public/v1/openapi.json").json()
    assert {"/api/public/v1/serious-list", "/api/public/v1/grade"} <= set(document["paths"])
    missing = anonymous.get("/api/public/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
