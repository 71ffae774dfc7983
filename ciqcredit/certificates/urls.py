from django.urls import path

from ciqcredit.certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("<int:pk>.pdf", views.certificate_download, name="pdf"),
]
