from django.urls import path

from ciqcredit.portal import accounts_views, views

app_name = "portal"

# The enterprise's pages under /portal/ (enterprise users only); other modules add theirs here and to
# portal/navigation.py. The staff pages that keep enterprise accounts are under /portal/accounts/.
urlpatterns = [
    path("", views.home, name="home"),
    path("grade/", views.grade, name="grade"),
    path("records/", views.records, name="records"),
    path("records/<int:record_id>/objection/", views.objection_new, name="objection_new"),
    path("objections/", views.objections, name="objections"),
    path("measures/", views.measures, name="measures"),
    path("notices/", views.notices, name="notices"),
    path("notices/<str:number>/", views.notice, name="notice"),
    path("notices/<str:number>/pdf/", views.notice_pdf, name="notice_pdf"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:case_id>/", views.case, name="case"),
    path("accounts/<str:credit_code>/", accounts_views.accounts, name="accounts"),
]
