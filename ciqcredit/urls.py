from django.urls import include, path

from ciqcredit.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("ciqcredit.web.urls")),
]
