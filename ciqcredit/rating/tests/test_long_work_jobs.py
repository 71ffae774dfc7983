"""Long work from a page runs as a tracked job: queued and audited, claimed once, its phases recorded as the
command prints them, its page polled while it runs and scoped to the organization that started it."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ciqcredit.audit.models import AuditEntry
from ciqcredit.jobs.models import Job
from ciqcredit.jobs.services import job_run
from ciqcredit.rating.models import EvaluationResult, EvaluationRun
from ciqcredit.rating.services.evaluation import PHASE_LABELS, evaluation_run
from ciqcredit.rating.tests.conftest import PERIOD_END, SETUP, activity


def test_an_evaluation_started_from_the_page_is_a_job_with_its_phases(world):
    activity(world.cast.enterprise, dt.date(2017, 6, 1))
    admin = world.cast.client_for(world.cast.hq_admin)
    response = admin.post(reverse("rating:home"), {"period_end": PERIOD_END.isoformat()})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.status, job.params) == ("evaluation", "queued", {"period_end": "2017-09-30"})
    assert AuditEntry.objects.filter(action="jobs.job.created", target_id=str(job.pk)).exists()
    waiting = admin.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in waiting and "排队中" in waiting

    job = job_run(job.pk)
    assert job_run(job.pk) is None  # claimed once
    run = EvaluationRun.objects.get()
    assert (job.status, job.link) == ("done", reverse("rating:run", args=[run.pk]))
    assert [p["label"] for p in job.phases] == list(PHASE_LABELS.values())  # the command prints the same
    done = admin.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "every 1s" not in done and "查看结果" in done and PHASE_LABELS["results"] in done
    assert "周期评定" in admin.get(reverse("jobs:list")).content.decode()
    # Another bureau does not see it.
    assert world.cast.client_for(world.cast.bureau_b_user).get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_a_failing_job_says_why(world):
    evaluation_run(period_end=PERIOD_END, actor=SETUP)
    admin = world.cast.client_for(world.cast.hq_admin)
    admin.post(reverse("rating:home"), {"period_end": PERIOD_END.isoformat()})
    job = job_run(Job.objects.get().pk)
    assert job.status == "failed" and "不能重复评定" in job.message


def test_bulk_confirmation_is_a_job_run_by_the_command(world):
    for e in (world.cast.enterprise,):
        activity(e, dt.date(2017, 6, 1))
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)
    officer = world.cast.client_for(world.cast.bureau_a_user)
    officer.post(reverse("rating:worklist", args=[run.pk]), {"scope": "filter", "org": "475200", "grade": ""})
    job = Job.objects.get(kind="confirmation")
    assert EvaluationResult.objects.filter(run=run, status="pending").exists()
    out = io.StringIO()
    call_command("run_jobs", stdout=out)
    assert "确认评定结果" in out.getvalue() and "已确认 1 家" in out.getvalue()
    job.refresh_from_db()
    assert job.status == "done"
    assert not EvaluationResult.objects.filter(run=run, status="pending").exists()
    # Outside the officer's scope: refused before anything is queued.
    other = world.cast.client_for(world.cast.bureau_b_user)
    other.post(reverse("rating:worklist", args=[run.pk]), {"scope": "filter", "org": "475200"})
    assert Job.objects.count() == 1


@pytest.mark.browser
def test_the_page_follows_a_running_evaluation_to_its_result(live_cast, open_page, live_server, settings):
    from ciqcredit.rating.tests.conftest import RATED_ON, publish_ruleset

    settings.CIQCREDIT_TODAY = RATED_ON
    publish_ruleset()
    activity(live_cast.enterprise, dt.date(2017, 6, 1))
    page = open_page("hq_admin")
    page.goto(f"{live_server.url}{reverse('rating:home')}")
    page.fill("input[name=period_end]", PERIOD_END.isoformat())
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="启动周期评定").click()
    page.wait_for_url("**/jobs/*/")
    page.get_by_role("link", name="查看结果").wait_for(timeout=20_000)  # the thread ran it; htmx polled
    assert page.locator("ol.phases li.done").count() == len(PHASE_LABELS)
    page.get_by_role("link", name="查看结果").click()
    page.wait_for_url("**/rating/runs/*/")
    assert EvaluationRun.objects.count() == 1
