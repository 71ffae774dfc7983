"""Two evaluation runs of the same period at the same time: one result set, the other refused — or, when the
first fails, the second goes ahead. Real row locks need PostgreSQL."""

import threading
import time

import pytest
from django.db import connection

from ciqcredit.conftest import build_cast
from ciqcredit.errors import DomainError
from ciqcredit.rating.models import EvaluationResult, EvaluationRun
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.tests.conftest import PERIOD_END, RATED_ON, SETUP, publish_ruleset
from ciqcredit.testing import make_enterprise

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL row locks"),
]


@pytest.mark.parametrize("first_fails", [False, True])
def test_concurrent_runs_of_one_period(transactional_db, settings, first_fails):
    settings.CIQCREDIT_TODAY = RATED_ON
    cast = build_cast()
    publish_ruleset()
    for n in range(100, 130):
        make_enterprise(n, cast.bureau_a)
    started = threading.Event()
    outcomes: dict[str, str] = {}

    def slow_first(phase, entry):
        if phase == "results":
            started.set()
            time.sleep(0.8)  # hold the transaction open while the second run arrives
            if first_fails:
                raise RuntimeError("the first run breaks mid-way")

    def run(name, progress):
        try:
            evaluation_run(period_end=PERIOD_END, actor=SETUP, progress=progress)
            outcomes[name] = "ok"
        except DomainError as exc:
            outcomes[name] = exc.code
        except RuntimeError:
            outcomes[name] = "failed"
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first", slow_first))
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=run, args=("second", None))
    second.start()
    first.join(30)
    second.join(30)
    if first_fails:
        assert outcomes == {"first": "failed", "second": "ok"}
    else:
        assert outcomes == {"first": "ok", "second": "evaluation_exists"}
    assert EvaluationRun.objects.count() == 1
    assert EvaluationResult.objects.count() == 31  # 30 + the cast's enterprise
