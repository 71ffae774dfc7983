from django.urls import path

from ciqcredit.application import views

app_name = "application"

urlpatterns = [
    path("measures/", views.measures_table, name="measures"),
    path("measures/<int:number>/whatif/", views.measures_whatif_page, name="measures_whatif"),
    path("enterprises/<str:credit_code>/measures/", views.enterprise_measures_section, name="enterprise_measures"),
    path("decisions/", views.decision_list, name="decisions"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("statistics/", views.statistics, name="statistics"),
]
