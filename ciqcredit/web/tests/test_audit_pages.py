"""The audit log page: scoped rows, filters, htmx fragment; and one object's trail page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.audit.services import audit_log

LIST = reverse("audit:list")


def _rows(cast, user, query=""):
    response = cast.client_for(user).get(LIST + query)
    assert response.status_code == 200
    return response.context["page_obj"]


def _entries(cast, user, query="") -> list:
    """The rows shown, less the login row that logging the test's user in writes (it is audited too)."""
    return [e for e in _rows(cast, user, query).object_list if e.action != "organizations.user.logged_in"]


def test_list_is_newest_first_and_scoped(cast):
    page = _rows(cast, cast.bureau_a_user)
    rows = list(page.object_list)
    assert rows == sorted(rows, key=lambda e: (e.at, e.id), reverse=True)
    assert {e.organization.code for e in rows} <= {"470000", "475200"}
    assert page.paginator.count == AuditEntry.objects.filter(organization__code__in=["470000", "475200"]).count()


@pytest.mark.parametrize(
    ("query", "expected_actions"),
    [
        ("?action=organizations.user", {"organizations.user.created"}),
        ("?action=organizations.token", {"organizations.token.created"}),
        ("?target_type=organizations.department", {"organizations.department.created"}),
    ],
)
def test_action_and_target_type_filters(cast, query, expected_actions):
    assert {e.action for e in _entries(cast, cast.bureau_a_user, query)} == expected_actions


def test_actor_and_target_filters(cast):
    audit_log(
        actor=Actor.of(cast.bureau_a_user),
        action="enterprises.enterprise.updated",
        target=cast.enterprise,
        new={"a": 1},
    )
    rows = _entries(cast, cast.bureau_a_user, "?actor=a_credit")
    assert [e.action for e in rows] == ["enterprises.enterprise.updated"]
    by_label = list(_rows(cast, cast.bureau_a_user, "?target=皇岗进出口").object_list)
    by_id = list(_rows(cast, cast.bureau_a_user, f"?target={cast.enterprise.pk}&target_type=enterprises.enterprise"))
    assert [e.pk for e in by_label] == [e.pk for e in by_id] == [rows[0].pk]


def test_date_range_uses_local_days(cast, monkeypatch):
    # 2017-10-09 00:30 in Beijing is still 2017-10-08 in UTC: the filter must use Beijing days.
    instant = timezone.make_aware(dt.datetime(2017, 10, 9, 0, 30))
    monkeypatch.setattr("ciqcredit.audit.services.clock.now", lambda: instant)
    entry = audit_log(
        actor=Actor.job("test"), action="test.thing.done", target=cast.branch_a, organization_id=cast.branch_a.id
    )
    assert entry.at.astimezone(dt.UTC).date() == dt.date(2017, 10, 8)
    day = "?date_from=2017-10-09&date_to=2017-10-09"
    assert [e.pk for e in _entries(cast, cast.bureau_a_user, day)] == [entry.pk]
    assert entry.pk not in [e.pk for e in _rows(cast, cast.bureau_a_user, "?date_to=2017-10-08").object_list]
    assert entry.pk not in [e.pk for e in _rows(cast, cast.bureau_a_user, "?date_from=2017-10-10").object_list]


def test_bad_date_range_is_refused_in_chinese(cast):
    response = cast.client_for(cast.hq_admin).get(LIST + "?date_from=2017-10-09&date_to=2017-10-01")
    assert "起始日期不能晚于截止日期" in response.content.decode()
    assert not response.context["page_obj"].object_list


def test_htmx_gets_the_results_fragment(cast):
    response = cast.client_for(cast.hq_admin).get(LIST + "?action=organizations", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "机构新建" in html


def test_object_page_shows_the_trail_with_chinese_labels(cast):
    url = reverse("audit:object", args=["organizations.organization", cast.branch_a.pk])
    html = cast.client_for(cast.bureau_a_user).get(url).content.decode()
    assert "皇岗出入境检验检疫局（475200）" in html
    assert "机构新建" in html and "机构代码" in html and "分支局" in html  # level shown by its label


def test_trail_names_people_and_jobs_in_chinese(cast):
    """Deciders by name, jobs by what they are; no username, `system:` label or English key on the page."""
    audit_log(
        actor=Actor.of(cast.bureau_a_user),
        action="rating.grade.changed",
        target=cast.enterprise,
        old={"grade": None, "controlled": False},
        new={"grade": "B", "controlled": False, "cause": "adjustment", "effective_from": "2017-10-16"},
    )
    audit_log(actor=Actor.job("demo"), action="enterprises.enterprise.updated", target=cast.enterprise, new={})
    url = reverse("audit:object", args=["enterprises.enterprise", cast.enterprise.pk])
    html = cast.client_for(cast.bureau_a_user).get(url).content.decode()
    for shown in ("张信用", "演示数据装载", "信用等级", "变更原因", "评定结果调整", "生效日期", "布控"):
        assert shown in html
    for hidden in ("a_credit", "system:", "cause", "adjustment", "effective_from", "controlled", ">grade<"):
        assert hidden not in html, hidden
