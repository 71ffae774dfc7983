"""The project's URLs plus this app's pages and API, for as long as the lead has not wired them in
ciqcredit/urls.py and ciqcredit/api.py (then it adds nothing)."""

from django.urls import include, path
from ninja import NinjaAPI

from ciqcredit.api import api
from ciqcredit.dynamic.api import router
from ciqcredit.urls import urlpatterns as project_patterns


def _api_patterns() -> list:
    if any(registered is router for _, registered in api._routers):
        return []
    test_api = NinjaAPI(auth=api.auth, urls_namespace="dynamic_test_api", docs_url=None, openapi_url=None)
    for exc_class, handler in api._exception_handlers.items():
        test_api.add_exception_handler(exc_class, handler)
    test_api.add_router("/", router)
    return [path("api/v1/", test_api.urls)]


def _page_patterns() -> list:
    wired = any(getattr(p, "namespace", None) == "dynamic" for p in project_patterns)
    return [] if wired else [path("dynamic/", include("ciqcredit.dynamic.urls"))]


urlpatterns = _api_patterns() + _page_patterns() + project_patterns
