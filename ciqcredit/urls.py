from django.urls import include, path

from ciqcredit.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("enterprises/", include("ciqcredit.web.enterprises.urls")),
    path("rules/", include("ciqcredit.catalogue.urls")),
    path("records/", include("ciqcredit.collection.urls")),
    path("workdays/", include("ciqcredit.workdays.urls")),
    path("audit/", include("ciqcredit.web.audit.urls")),
    path("dynamic/", include("ciqcredit.dynamic.urls")),
    path("rating/", include("ciqcredit.rating.urls")),
    path("supervision/", include("ciqcredit.oversight.urls")),
    path("application/", include("ciqcredit.application.urls")),
    path("tracking/", include("ciqcredit.tracking.urls")),
    path("jobs/", include("ciqcredit.jobs.urls")),
    path("", include("ciqcredit.web.urls")),
]
