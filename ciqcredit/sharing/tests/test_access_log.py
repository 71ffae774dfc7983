"""The access log is complete: every read of shared data by a partner's client, allowed or refused, on every
sharing endpoint, with partner, client, agreement, endpoint, list, rows and time."""

from ciqcredit.sharing.models import AccessLogEntry


def test_every_read_is_logged_with_what_it_returned(shared):
    court, token = shared.partners.court, shared.partners.court_token
    agreement = shared.grant(court, ["serious", "grades"], fields=["grade"])
    calls = [
        ("/api/v1/sharing/lists/serious", {}, 200),
        ("/api/v1/sharing/lists/grades", {"limit": 2}, 200),
        ("/api/v1/sharing/lists/grades", {"after": 10**9}, 200),
        ("/api/v1/sharing/lists/aa", {}, 403),
        ("/api/v1/sharing/lists/serious", {"fields": "name"}, 403),
        ("/api/v1/sharing/lists/serious/export", {"format": "csv"}, 200),
        ("/api/v1/sharing/lists/aa/export", {"format": "csv"}, 403),
        (
            "/api/v1/sharing/feedback",
            {"list": "court_dishonest_debtors", "from": "2026-06-01", "to": "2026-06-30"},
            200,
        ),
        ("/api/v1/sharing/feedback/file", {"list": "court_dishonest_debtors", "month": "2026-06"}, 200),
    ]
    returned = []
    for path, params, status in calls:
        response = shared.read(token, path, **params)
        assert response.status_code == status, (path, response.content)
        if path.endswith("/lists/serious") or path.endswith("/lists/grades"):
            returned.append(len(response.json()["items"]) if status == 200 else 0)
    logged = list(AccessLogEntry.objects.order_by("id"))
    assert len(logged) == len(calls)
    assert all(e.partner == court and e.client == shared.partners.court_client and e.at for e in logged)
    assert [e.endpoint for e in logged] == [path for path, _, _ in calls]
    assert [e.allowed for e in logged] == [status == 200 for _, _, status in calls]
    assert [e.refusal for e in logged if not e.allowed] == ["list_not_agreed", "field_not_agreed", "list_not_agreed"]
    assert [e.rows for e in logged[:3]] == [returned[0], returned[1], 0] and returned[1] == 2
    assert logged[1].params == {"after": 0, "limit": 2}
    assert all(e.agreement == agreement for e in logged[:3])
    assert logged[5].rows == 1 and len(logged[5].params["sha256"]) == 64


def test_reads_of_other_systems_are_not_partner_reads(shared):
    """A bureau's client is refused (not a partner) and, having no partner, leaves no partner log row."""
    response = shared.read(shared.cast.api_token, "/api/v1/sharing/lists/aa")
    assert response.status_code == 403 and response.json()["code"] == "not_a_partner"
    assert not AccessLogEntry.objects.exists()
