"""Project-wide access checks over every API operation and every page, discovered, not listed by hand.

A new endpoint or page is covered the day it is added: anonymous callers are refused everywhere, and
an object that names bureau A's enterprise is never shown to a user of bureau B.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from ciqcredit.api import api

# Pages anyone may open (the login page itself, and what Django serves for it; the health probes); and the public
# site (`public:*`), whose own tests check it shows nothing but what the rules make public.
PUBLIC_PAGES = {"web:login", "web:logout", "healthz", "readyz"}


def _api_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return sorted((method.upper(), path) for path, ops in schema["paths"].items() for method in ops)


def _fill(path: str, cast) -> str:
    values = {"credit_code": cast.enterprise.credit_code, "year": "2017", "number": "1", "run_id": "1"}
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), path)


def _pages(resolver=None, prefix="", namespace="") -> list[tuple[str, str]]:
    """(view name, URL pattern) of every named page outside the API."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("api/"):
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _pages(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}{entry.name}", prefix + str(entry.pattern)))
    return found


def _page_url(pattern: str, cast) -> str:
    values = {
        "credit_code": cast.enterprise.credit_code,
        "year": "2017",
        "target_type": "enterprises.enterprise",
        "target_id": str(cast.enterprise.pk),
        "action": "confirm",
        "kind": "catalogue",
    }
    url = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: values.get(m.group(2), "1"), pattern)
    return "/" + url


def test_discovery_finds_the_known_endpoints_and_pages():
    """Guards the discovery itself: if it found nothing, the tests above would pass vacuously."""
    assert ("PUT", "/api/v1/enterprises/{credit_code}") in _api_operations()
    assert any(re.search(r"<(\w+:)?credit_code>", pattern) for _, pattern in _pages())
    assert "enterprises:list" in dict(_pages())


@pytest.mark.parametrize(("method", "path"), _api_operations())
def test_every_api_operation_refuses_anonymous_callers(cast, method, path):
    response = cast.api(None).generic(method, _fill(path, cast), content_type="application/json", data="{}")
    assert response.status_code == 401, response.content[:300]
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize(("method", "path"), [op for op in _api_operations() if "{credit_code}" in op[1]])
def test_no_api_operation_serves_another_bureaus_enterprise(cast, method, path):
    client = cast.client_for(cast.bureau_b_user)
    response = client.generic(method, _fill(path, cast), content_type="application/json", data="{}")
    assert response.status_code in (403, 404, 422), (response.status_code, response.content[:300])
    assert cast.enterprise.name not in response.content.decode()


@pytest.mark.parametrize(
    ("name", "pattern"), [p for p in _pages() if p[0] not in PUBLIC_PAGES and not p[0].startswith("public:")]
)
def test_every_page_sends_anonymous_visitors_to_login(cast, name, pattern):
    response = cast.client_for(None).get(_page_url(pattern, cast))
    assert response.status_code in (302, 401, 403, 404, 405), (name, response.status_code)
    if response.status_code == 302:
        assert response["Location"].startswith("/login/"), (name, response["Location"])
    assert cast.enterprise.name not in response.content.decode()


@pytest.mark.parametrize(("name", "pattern"), [p for p in _pages() if re.search(r"<(\w+:)?credit_code>", p[1])])
def test_no_page_shows_another_bureaus_enterprise(cast, name, pattern):
    response = cast.client_for(cast.bureau_b_user).get(_page_url(pattern, cast))
    assert response.status_code in (403, 404, 405), (name, response.status_code)
    assert cast.enterprise.name not in response.content.decode()
