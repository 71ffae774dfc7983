from django.urls import path

from ciqcredit.certificates import portal

app_name = "portal_certificates"

urlpatterns = [
    path("", portal.certificate_list, name="list"),
    path("<int:pk>.pdf", portal.certificate_download, name="pdf"),
]
