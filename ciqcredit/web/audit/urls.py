from django.urls import path

from ciqcredit.web.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_list, name="list"),
    path("<str:target_type>/<str:target_id>/", views.audit_object, name="object"),
]
