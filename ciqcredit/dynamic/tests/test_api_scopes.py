"""Dynamic cases and their notices are for staff in scope: no API client sees them, whatever its scopes
(an `enterprise_sync` client used to list every case, undelivered notices included, and download the PDFs)."""

import pytest

from ciqcredit.dynamic.tests.fixtures import SETUP, reach_downgrade
from ciqcredit.organizations.roles import Scope
from ciqcredit.organizations.services import api_client_create


@pytest.fixture
def case(world):
    """A downgrade case whose proposal is confirmed, so its notice is drafted and waits to be delivered."""
    return reach_downgrade(world, world.cast.enterprise)


def _clients(world) -> dict[str, str]:
    """One client at HQ (reaching every bureau) per scope, and the bureau's client with every scope."""
    tokens = {"all scopes, bureau A": world.cast.api_token}
    for scope in Scope.values:
        _, tokens[scope] = api_client_create(
            name=f"hq-{scope}", organization=world.cast.hq, scopes=[scope], actor=SETUP
        )
    return tokens


def test_no_api_client_sees_cases_or_notices(world, case):
    assert case.notice is not None and case.notice.delivered_on is None
    for label, token in _clients(world).items():
        client = world.cast.api(token)
        listed = client.get("/api/v1/dynamic/cases")
        assert listed.status_code == 403, (label, listed.content[:200])
        for url in (f"/api/v1/dynamic/cases/{case.pk}", f"/api/v1/notices/{case.notice.pk}.pdf"):
            response = client.get(url)
            assert response.status_code == 404, (label, url, response.status_code)
            assert world.cast.enterprise.name not in response.content.decode(errors="replace")
        delivery = client.post(
            f"/api/v1/notices/{case.notice.pk}/delivery",
            {"method": "direct", "delivered_on": "2026-03-02", "recipient": "王经理"},
        )
        assert delivery.status_code in (403, 404, 422), (label, delivery.status_code)


def test_staff_in_scope_still_see_them(world, case):
    client = world.cast.api(world.cast.staff_token_a)
    assert [c["id"] for c in client.get("/api/v1/dynamic/cases").json()["items"]] == [case.pk]
    assert client.get(f"/api/v1/dynamic/cases/{case.pk}").status_code == 200
