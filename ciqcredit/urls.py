from django.urls import include, path

from ciqcredit.api import api
from ciqcredit.web import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("enterprises/", include("ciqcredit.web.enterprises.urls")),
    path("rules/", include("ciqcredit.catalogue.urls")),
    path("records/", include("ciqcredit.collection.urls")),
    path("workdays/", include("ciqcredit.workdays.urls")),
    path("audit/", include("ciqcredit.web.audit.urls")),
    path("accounts/", include("ciqcredit.web.accounts.urls")),
    path("dynamic/", include("ciqcredit.dynamic.urls")),
    path("rating/", include("ciqcredit.rating.urls")),
    path("supervision/", include("ciqcredit.oversight.urls")),
    path("application/", include("ciqcredit.application.urls")),
    path("tracking/", include("ciqcredit.tracking.urls")),
    path("jobs/", include("ciqcredit.jobs.urls")),
    path("sharing/", include("ciqcredit.sharing.urls")),
    path("", include("ciqcredit.web.urls")),
]

handler400 = "ciqcredit.web.errors.bad_request"
handler403 = "ciqcredit.web.errors.permission_denied"
handler404 = "ciqcredit.web.errors.not_found"
handler500 = "ciqcredit.web.errors.server_error"
