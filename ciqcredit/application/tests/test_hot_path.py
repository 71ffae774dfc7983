"""The hot path (`ciqcredit.web.hotpath`) answers e-CIQ's three calls exactly as the documented endpoints do:
each call is made twice, once answered by the middleware (django-ninja is not reached) and once with the
middleware removed, and the two answers must agree in status, headers and JSON (bar the new decision's id)."""

import pytest
from django.conf import settings as django_settings

from ciqcredit.application.tests.conftest import party, set_grade
from ciqcredit.testing import credit_code_for

HOT = "ciqcredit.web.hotpath.HotPathMiddleware"
SAME_HEADERS_BUT = {"Date", "X-Request-ID", "Content-Length"}


@pytest.fixture
def both(world, settings, monkeypatch):
    """call(method, url, body=None, token=world's, hot=True) → (answer with the hot path, answer without it).
    `hot`: the first answer must come from the hot path (django-ninja is not reached)."""
    with_hot = list(django_settings.MIDDLEWARE)
    full_stack = [m for m in with_hot if m != HOT]
    assert len(full_stack) == len(with_hot) - 1

    def full_stack_only(*args, **kwargs):
        raise AssertionError("the hot path left this call to django-ninja")

    def call(method: str, url: str, body=None, token: str | None = "", hot: bool = True):
        def send():
            client = world.cast.api(world.token if token == "" else token)
            if method == "POST":
                return client.post(url, body, content_type="application/json")
            return client.get(url)

        settings.MIDDLEWARE = with_hot
        with monkeypatch.context() as patch:
            if hot:
                patch.setattr("ninja.operation.Operation.run", full_stack_only)
            first = send()
        settings.MIDDLEWARE = full_stack
        second = send()
        settings.MIDDLEWARE = with_hot
        return first, second

    return call


def _same(hot, full, *, ignore=("decision_id",)):
    assert hot.status_code == full.status_code
    assert {k: v for k, v in hot.headers.items() if k not in SAME_HEADERS_BUT} == {
        k: v for k, v in full.headers.items() if k not in SAME_HEADERS_BUT
    }
    assert _without(hot.json(), ignore) == _without(full.json(), ignore)


def _without(value, keys):
    if isinstance(value, dict):
        return {k: _without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [_without(v, keys) for v in value]
    return value


def test_a_single_decision_is_answered_alike(world, both):
    a, b = world.enterprises[1], world.enterprises[2]
    set_grade(a, "A")
    set_grade(b, "C", controlled=True)
    body = {
        "declaration_no": "HOT-1",
        "parties": [party(a), party(b, "agent"), {"credit_code": credit_code_for(990_001), "role": "producer"}],
    }
    hot, full = both("POST", "/api/v1/decisions", body)
    _same(hot, full)
    assert hot.status_code == 200 and hot.json()["governing_grade"] == "C"
    assert hot.json()["decision_id"] != full.json()["decision_id"]  # both kept


def test_a_batch_is_answered_alike(world, both):
    a = world.enterprises[1]
    set_grade(a, "B")
    items = [
        {"declaration_no": "HOT-B1", "parties": [party(a)]},
        {"declaration_no": "", "parties": [party(a)]},  # refused alone: validation
        {"declaration_no": "HOT-B3", "parties": [party(a)], "org_code": "999999"},  # refused alone: office
        {"declaration_no": "HOT-B4", "parties": [party(a)], "on": "2026-02-01"},
    ]
    hot, full = both("POST", "/api/v1/decisions/batch", {"items": items})
    _same(hot, full)
    assert [i["ok"] for i in hot.json()["items"]] == [True, False, False, True]


def test_grade_lookups_are_answered_alike(world, both):
    a = world.enterprises[1]
    set_grade(a, "AA")
    for url in (
        f"/api/v1/enterprises/{a.credit_code}/grade",
        f"/api/v1/enterprises/{a.credit_code}/grade?on=2025-09-30",  # before any grade: nulls
        f"/api/v1/enterprises/{world.enterprises[2].credit_code}/grade",  # registered, never rated
        f"/api/v1/enterprises/{credit_code_for(990_002)}/grade",  # unknown: 404 in the one error format
    ):
        hot, full = both("GET", url)
        _same(hot, full)
    assert hot.status_code == 404 and hot.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "case", ["no_token", "unknown_token", "missing_scope", "bad_body", "not_json", "bad_query", "rate_limited"]
)
def test_what_the_hot_path_does_not_answer_gets_the_endpoints_own_answer(world, both, settings, case):
    a = world.enterprises[1]
    url, method = "/api/v1/decisions", "POST"
    body: object = {"declaration_no": "HOT-X", "parties": [party(a)]}
    token: str | None = ""  # the e-CIQ client's
    if case == "no_token":
        token = None
    elif case == "unknown_token":
        token = "ciq_" + "x" * 40
    elif case == "missing_scope":
        token = world.cast.staff_token_a  # a person's token: no eciq_decision scope
    elif case == "bad_body":
        body = {"declaration_no": "HOT-X", "parties": [{"credit_code": "123", "role": "consignee"}]}
    elif case == "not_json":
        body = "{not json"
    elif case == "bad_query":
        url, method = f"/api/v1/enterprises/{a.credit_code}/grade?on=2026-13-01", "GET"
    elif case == "rate_limited":
        settings.API_RATE_LIMITS = {world.client.username: 0.001}  # bursts of 0.002 requests: none admitted
    hot, full = both(method, url, body, token=token, hot=case == "rate_limited")
    _same(hot, full)
    expected = {"no_token": 401, "unknown_token": 401, "missing_scope": 403, "bad_body": 422, "not_json": 400}
    assert hot.status_code == {**expected, "bad_query": 422, "rate_limited": 429}[case]


def test_a_call_the_hot_path_leaves_to_the_endpoint_takes_one_rate_limit_token(world, settings):
    """A body the endpoint must word (422) passes through both the hot path and django-ninja's authentication:
    one token is taken, not two, so a client with one left gets its 422, and only the next call its 429."""
    settings.API_RATE_LIMITS = {world.client.username: 0.000517}
    settings.API_RATE_BURST_SECONDS = 2901  # a bucket of 1.5 tokens that hardly refills
    api = world.cast.api(world.token)
    bad = {"declaration_no": "HOT-R", "parties": [{"credit_code": "123", "role": "consignee"}]}
    assert api.post("/api/v1/decisions", bad, content_type="application/json").status_code == 422
    good = {"declaration_no": "HOT-R", "parties": [party(world.enterprises[1])]}
    assert api.post("/api/v1/decisions", good, content_type="application/json").status_code == 429
