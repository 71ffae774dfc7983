from django.urls import path

from ciqcredit.repair import views

app_name = "repair"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("<int:pk>/", views.application_detail, name="application"),
    path("<int:pk>/evidence", views.application_evidence, name="evidence"),
]
