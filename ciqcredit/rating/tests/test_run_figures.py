"""A run's figures follow the caller's scope: HQ sees the nation, a bureau its own subtree."""

import datetime as dt

from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.tests.conftest import PERIOD_END, SETUP, activity
from ciqcredit.testing import make_enterprise


def test_run_figures_are_scoped_to_the_caller(world):
    cast = world.cast
    for n, org in enumerate([cast.branch_a, cast.bureau_a, cast.bureau_b, cast.bureau_b], start=200):
        activity(make_enterprise(n, org, registered_on=dt.date(2010, 1, 1)), dt.date(2017, 3, 1))
    activity(cast.enterprise, dt.date(2017, 3, 1))
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)

    def enterprises_seen_by(user) -> int:
        return cast.client_for(user).get(f"/api/v1/evaluations/{run.pk}").json()["enterprises"]

    assert enterprises_seen_by(cast.hq_admin) == run.enterprises == 5
    assert enterprises_seen_by(cast.bureau_a_user) == 3
    assert enterprises_seen_by(cast.bureau_b_user) == 2
    page = cast.client_for(cast.bureau_b_user).get(f"/rating/runs/{run.pk}/").content.decode()
    assert "各等级企业数（本机构及下级）" in page
