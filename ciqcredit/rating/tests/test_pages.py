"""Rating pages: who sees what, and the worklist's confirm and adjust forms."""

import datetime as dt

import pytest
from django.urls import reverse

from ciqcredit.rating.models import EvaluationResult
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.tests.conftest import PERIOD_END, SETUP, activity
from ciqcredit.testing import make_enterprise


@pytest.fixture
def run(world):
    activity(world.cast.enterprise, dt.date(2017, 3, 1))
    make_enterprise(90, world.cast.bureau_b)
    return evaluation_run(period_end=PERIOD_END, actor=SETUP)


# (url name, kwargs builder) → expected status per user: anonymous, enterprise, branch collector, bureau A, bureau B, HQ
PAGES = [
    ("rating:home", lambda run, code: {}, [302, 403, 200, 200, 200, 200]),
    ("rating:run", lambda run, code: {"run_id": run.pk}, [302, 403, 200, 200, 200, 200]),
    ("rating:worklist", lambda run, code: {"run_id": run.pk}, [302, 403, 200, 200, 200, 200]),
    # An enterprise user is sent to the portal's explanation, which names no staff (issue 13).
    ("rating:enterprise", lambda run, code: {"credit_code": code}, [302, 302, 200, 200, 404, 200]),
    ("rating:distribution", lambda run, code: {}, [302, 403, 200, 200, 200, 200]),
    ("rating:whatif", lambda run, code: {}, [302, 403, 403, 403, 403, 200]),
    ("rating:aa", lambda run, code: {}, [302, 403, 200, 200, 200, 200]),
    ("rating:key", lambda run, code: {}, [302, 403, 200, 200, 200, 200]),
    ("rating:key_files", lambda run, code: {"credit_code": code}, [302, 403, 200, 200, 404, 200]),
]


@pytest.mark.parametrize(("name", "kwargs", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_permissions(world, run, name, kwargs, expected):
    c = world.cast
    url = reverse(name, kwargs=kwargs(run, c.enterprise.credit_code))
    users = [None, c.enterprise_user, c.branch_a_user, c.bureau_a_user, c.bureau_b_user, c.hq_admin]
    got = [c.client_for(user).get(url).status_code for user in users]
    assert got == expected


def test_worklist_confirm_and_adjust(world, run):
    c = world.cast
    client = c.client_for(c.bureau_a_user)
    page = client.get(reverse("rating:worklist", kwargs={"run_id": run.pk}))
    assert c.enterprise.name in page.content.decode() and "确认所选" in page.content.decode()
    other = c.client_for(c.bureau_b_user).get(reverse("rating:worklist", kwargs={"run_id": run.pk}))
    assert c.enterprise.name not in other.content.decode()
    client.post(reverse("rating:worklist", kwargs={"run_id": run.pk}), {"codes": [c.enterprise.credit_code]})
    assert EvaluationResult.objects.get(enterprise=c.enterprise).status == "confirmed"
    client.post(
        reverse("rating:adjust", kwargs={"run_id": run.pk}),
        {"credit_code": c.enterprise.credit_code, "grade": "B", "reason": "复核调整"},
    )
    result = EvaluationResult.objects.get(enterprise=c.enterprise)
    assert (result.status, result.final_grade) == ("adjusted", "B")
    page = client.get(reverse("rating:enterprise", kwargs={"credit_code": c.enterprise.credit_code}))
    assert "复核调整" in page.content.decode()


def test_starting_an_evaluation_asks_first(cast):
    page = cast.client_for(cast.hq_admin).get(reverse("rating:home")).content.decode()
    # confirm.js asks for every data-confirm button; an inline handler would be blocked by the CSP.
    assert 'data-confirm="确认启动周期评定？' in page and "web/confirm" in page and "onclick" not in page


def test_the_grade_page_names_the_decider_not_the_account(world, run):
    """Item 9: the decider of the grade in force appears by name, never by username."""
    c = world.cast
    client = c.client_for(c.bureau_a_user)
    client.post(reverse("rating:worklist", kwargs={"run_id": run.pk}), {"codes": [c.enterprise.credit_code]})
    page = client.get(reverse("rating:enterprise", kwargs={"credit_code": c.enterprise.credit_code})).content
    card = page.decode().split("决定人</dt>", 1)[1].split("</dd>", 1)[0]
    assert c.bureau_a_user.full_name in card and c.bureau_a_user.username not in card


def test_the_whatif_tab_is_shown_only_to_those_who_may_use_it(cast):
    from ciqcredit.conftest import PASSWORD, SETUP
    from ciqcredit.organizations.services import user_create

    hq_viewer, _ = user_create(
        username="hq_viewer_t",
        organization=cast.hq,
        department_kind="credit",
        roles=["viewer"],
        password=PASSWORD,
        actor=SETUP,
        full_name="总局只读",
    )
    link = 'href="/rating/whatif/"'
    viewer = cast.client_for(hq_viewer)
    assert link not in viewer.get("/rating/").content.decode()
    assert viewer.get("/rating/whatif/").status_code == 403
    for user in (cast.hq_admin, cast.hq_rules):
        assert link in cast.client_for(user).get("/rating/").content.decode()
