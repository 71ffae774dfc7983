from django.urls import path

from ciqcredit.web.enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("lookup/", views.enterprise_lookup, name="lookup"),
    path("<str:credit_code>/", views.enterprise_detail, name="detail"),
]
