from django.urls import path

from ciqcredit.public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("serious-list", views.serious_list, name="serious_list"),
    path("grade", views.grade, name="grade"),
    path("measures", views.measures, name="measures"),
    path("certificates/", views.certificate_check, name="certificate_check"),
    path("certificates/<str:code>", views.certificate, name="certificate"),
]
