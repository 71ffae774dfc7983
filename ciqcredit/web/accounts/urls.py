from django.urls import path

from ciqcredit.web.accounts import views

app_name = "accounts"

urlpatterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<str:prefix>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("tokens/<str:prefix>/rotate/", views.token_rotate_view, name="token_rotate"),
]
