"""The grade distribution adds up: every active enterprise in one column, bureau subtotals over their branches."""

import datetime as dt

import pytest
from django.urls import reverse

from ciqcredit.actors import Actor
from ciqcredit.rating.selectors import COLUMN_AWAITING, COLUMN_UNRATED, DISTRIBUTION_COLUMNS, grade_distribution
from ciqcredit.rating.services.confirmation import results_confirm
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.tests.conftest import (
    PERIOD_END,
    RATED_ON,
    SETUP,
    RatingWorld,
    Records,
    activity,
    give_grade,
    publish_ruleset,
)
from ciqcredit.testing import make_enterprise


def _population(world):
    cast = world.cast
    branch = [cast.enterprise, *(make_enterprise(n, cast.branch_a) for n in range(20, 24))]
    bureau = [make_enterprise(n, cast.bureau_a) for n in range(30, 33)]
    make_enterprise(34, cast.bureau_a, status="cancelled")  # not counted anywhere
    for e in branch[:3] + bureau[:1]:
        activity(e, dt.date(2017, 6, 1))
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)  # 4 results pending
    results_confirm(
        run=run, actor=Actor.of(cast.bureau_a_user), organization=cast.branch_a
    )  # 3 branch results confirmed
    give_grade(bureau[1], "C", dt.date(2017, 1, 1))  # graded: counted under its grade, not as awaiting
    make_enterprise(35, cast.bureau_a)  # registered after the run: unrated
    return branch, bureau


def _row(rows, code, subtotal=False):
    return next(r for r in rows if r.organization.code == code and r.subtotal == subtotal)


def test_rows_add_up_to_the_enterprises_and_bureaus_subtotal_their_branches(world):
    _population(world)
    rows = grade_distribution(world.cast.bureau_a_user)
    column = {c: i for i, c in enumerate(DISTRIBUTION_COLUMNS)}
    branch, bureau, total = _row(rows, "475200"), _row(rows, "470000"), _row(rows, "470000", subtotal=True)
    assert (branch.total, branch.cells[column["A"]], branch.cells[column["B"]]) == (5, 3, 2)
    assert (
        bureau.total,
        bureau.cells[column["C"]],
        bureau.cells[column[COLUMN_AWAITING]],
        bureau.cells[column[COLUMN_UNRATED]],
    ) == (
        4,
        1,
        2,
        1,
    )
    assert total.cells == [a + b for a, b in zip(branch.cells, bureau.cells, strict=True)]
    assert [r.organization.code for r in rows] == ["470000", "475200", "470000"]  # the subtotal closes the bureau
    # A branch sees itself only; HQ sees every bureau, zeros too.
    assert [r.organization.code for r in grade_distribution(world.cast.branch_a_user)] == ["475200"]
    national = grade_distribution(world.cast.hq_admin)
    assert len([r for r in national if r.organization.level == "bureau" and not r.subtotal]) >= 35


def test_page_shows_the_columns_the_subtotal_and_a_chart_of_its_own(world):
    _population(world)
    html = world.cast.client_for(world.cast.hq_admin).get(reverse("rating:distribution")).content.decode()
    for text in ("待确认", "未评定", "小计", "<svg", "企业数", "个直属局辖区内尚无备案企业"):
        assert text in html
    assert "cdn" not in html.lower() and "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


@pytest.mark.browser
def test_chart_draws_each_bureau_by_its_shares(live_cast, open_page, live_server, settings):
    settings.CIQCREDIT_TODAY = RATED_ON
    _population(RatingWorld(cast=live_cast, records=Records(live_cast), ruleset=publish_ruleset()))
    page = open_page("hq_admin")
    page.goto(f"{live_server.url}{reverse('rating:distribution')}")
    segments = page.locator("figure.chart-figure svg rect.segment")
    widths = {s.get_attribute("data-column"): s.bounding_box()["width"] for s in segments.all()}
    # 深圳局: 5 A-or-B in the branch + 1 C + 2 awaiting + 1 unrated of 9, all drawn, in proportion.
    assert set(widths) == {"A", "B", "C", COLUMN_AWAITING, COLUMN_UNRATED}
    assert widths[COLUMN_AWAITING] == pytest.approx(2 * widths[COLUMN_UNRATED], rel=0.05)
    assert page.locator("tr.subtotal").count() == 1
