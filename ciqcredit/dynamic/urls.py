from django.urls import path

from ciqcredit.dynamic import views

app_name = "dynamic"

urlpatterns = [
    path("", views.case_list_page, name="cases"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/<slug:action>/", views.case_action, name="case_action"),
    path("cases/<int:case_id>/evidence/<int:file_id>/", views.defence_file, name="defence_file"),
    path("notices/<int:notice_id>.pdf", views.notice_pdf, name="notice_pdf"),
    path("notices/<int:notice_id>/receipt/", views.notice_receipt, name="notice_receipt"),
    path("batches/", views.batches, name="batches"),
    path("batches/<int:batch_id>/<slug:action>/", views.batch_action, name="batch_action"),
]
