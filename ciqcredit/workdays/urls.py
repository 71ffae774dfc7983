from django.urls import path

from ciqcredit.workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.home, name="home"),
    path("calculate/", views.calculate, name="calculate"),
    path("schedules/", views.upload, name="upload"),
]
