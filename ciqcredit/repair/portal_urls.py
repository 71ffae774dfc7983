from django.urls import path

from ciqcredit.repair import portal

app_name = "portal_repair"

urlpatterns = [
    path("repair/", portal.repair_page, name="repair"),
    path("aa/", portal.aa_page, name="aa"),
]
