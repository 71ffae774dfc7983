from django.urls import path

from ciqcredit.organizations import views

app_name = "organizations"

urlpatterns = [
    path("tokens/", views.token_list, name="tokens"),
]
