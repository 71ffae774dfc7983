from django.urls import path

from ciqcredit.sharing import views

app_name = "sharing"

urlpatterns = [
    path("", views.home, name="home"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/<str:action>/", views.agreement_decide, name="agreement_decide"),
    path("lists/", views.lists, name="lists"),
    path("lists/<str:code>/", views.list_detail, name="list"),
    path("joint/", views.joint, name="joint"),
    path("log/", views.access_log_page, name="log"),
    path("log/export.<str:fmt>", views.access_log_export, name="log_export"),
    path("feedback/", views.feedback_page, name="feedback"),
    path("feedback/<str:code>/<str:month>.<str:fmt>", views.feedback_download, name="feedback_file"),
]
