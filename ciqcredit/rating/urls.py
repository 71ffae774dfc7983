from django.urls import path

from ciqcredit.rating import views, views_more

app_name = "rating"

urlpatterns = [
    path("", views.runs, name="home"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/worklist/", views.worklist, name="worklist"),
    path("runs/<int:run_id>/adjust/", views.adjust, name="adjust"),
    path("enterprises/<str:credit_code>/", views.enterprise_grade, name="enterprise"),
    path("distribution/", views.distribution, name="distribution"),
    path("whatif/", views_more.whatif, name="whatif"),
    path("whatif/cell/", views_more.whatif_cell_view, name="whatif_cell"),
    path("aa/", views_more.aa, name="aa"),
    path("key/", views_more.key_enterprises, name="key"),
    path("key/<str:credit_code>/", views_more.key_files, name="key_files"),
    path("key/<str:credit_code>/attachments/<int:attachment_id>/", views_more.key_attachment, name="key_attachment"),
]
