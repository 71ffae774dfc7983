"""A job's page: its phases, polled with htmx while it runs, so a person can leave and come back to it."""

from django.http import HttpResponse
from django.shortcuts import render

from ciqcredit.errors import NotFound
from ciqcredit.jobs.selectors import jobs_visible_to
from ciqcredit.pages import AuthedRequest, is_fragment_request, page, vary_on_htmx


@page()
def job_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "jobs/list.html", {"jobs": jobs_visible_to(request.user)[:50]})


@page()
def job_detail(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = jobs_visible_to(request.user).filter(pk=job_id).first()
    if job is None:
        raise NotFound("后台任务")
    template = "jobs/_progress.html" if is_fragment_request(request) else "jobs/detail.html"
    return vary_on_htmx(render(request, template, {"job": job}))
