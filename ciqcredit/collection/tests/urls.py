"""The project's URLs plus collection's pages at /records/ and its API router, until the lead wires them in
ciqcredit/urls.py and ciqcredit/api.py. Once wired, this module is the project's URLs unchanged."""

from django.urls import include, path
from ninja import NinjaAPI

from ciqcredit.api import api as project_api
from ciqcredit.collection.api import router
from ciqcredit.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(p, "namespace", None) == "collection" for p in project_urlpatterns):
    urlpatterns.insert(0, path("records/", include("ciqcredit.collection.urls")))
if not any(r is router for _, r in project_api._routers):
    # The same authentication and error handlers as the project's API, serving only collection's router.
    collection_api = NinjaAPI(
        auth=project_api.auth, urls_namespace="collection_api_test", openapi_url="/openapi.json", docs_url=None
    )
    collection_api._exception_handlers = dict(project_api._exception_handlers)
    collection_api.add_router("/", router)
    urlpatterns.insert(0, path("api/v1/", collection_api.urls))
