"""GET /api/v1/changes: the feed as integrating systems follow it."""

import datetime as dt

from ciqcredit.application.tests.conftest import set_grade


def test_following_the_cursor_pages_through_every_change_once(world):
    a, b = world.enterprises[1], world.enterprises[2]
    set_grade(a, "A")
    set_grade(b, "B")
    set_grade(a, "AA", on=dt.date(2026, 1, 1), cause="aa_batch")
    set_grade(b, "D", on=dt.date(2026, 2, 1), cause="listing", controlled=True)
    seen, cursor = [], 0
    while True:
        body = world.api().get("/api/v1/changes", {"after": cursor, "limit": 2}).json()
        if not body["items"]:
            assert body["next_cursor"] == cursor
            break
        seen += body["items"]
        cursor = body["next_cursor"]
    assert [(i["credit_code"], i["kind"]) for i in seen] == [
        (a.credit_code, "grade_changed"),
        (b.credit_code, "grade_changed"),
        (a.credit_code, "grade_changed"),
        (a.credit_code, "aa_granted"),
        (b.credit_code, "grade_changed"),
        (b.credit_code, "control_set"),
        (b.credit_code, "serious_listed"),
    ]
    assert [i["cursor"] for i in seen] == sorted({i["cursor"] for i in seen})
    listing = seen[-1]
    assert (listing["grade"], listing["previous_grade"], listing["cause"], listing["effective_from"]) == (
        "D",
        "B",
        "listing",
        "2026-02-01",
    )
    assert len({i["change_id"] for i in seen[-3:]}) == 1  # one grade change, three events


def test_the_feed_narrows_to_lists(world):
    a = world.enterprises[1]
    set_grade(a, "B")
    set_grade(a, "D", on=dt.date(2026, 2, 1), cause="listing", controlled=True)
    serious = world.api().get("/api/v1/changes", {"lists": "serious"}).json()["items"]
    assert [i["kind"] for i in serious] == ["serious_listed"]
    both = world.api().get("/api/v1/changes", {"lists": "serious,aa"}).json()["items"]
    assert [i["kind"] for i in both] == ["serious_listed"]
    grades = world.api().get("/api/v1/changes", {"lists": "grades"}).json()["items"]
    assert [i["kind"] for i in grades] == ["grade_changed", "grade_changed", "control_set"]
    bad = world.api().get("/api/v1/changes", {"lists": "tax"})
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_list"
    assert world.api().get("/api/v1/changes", {"limit": 5000}).status_code == 422
