"""Collection pages; the lead mounts them at /records/ (namespace `collection`)."""

from django.urls import path

from ciqcredit.collection import objection_views, views

app_name = "collection"

urlpatterns = [
    path("", views.record_list, name="list"),
    path("export.xlsx", views.record_export, name="export"),
    path("new/", views.record_new, name="new"),
    path("new/subject/", views.subject_register, name="subject"),
    path("exclusions/new/", views.exclusion_new, name="exclusion"),
    path("queue/", views.queue, name="queue"),
    path("objections/<int:pk>/", objection_views.objection_detail, name="objection"),
    path("objections/<int:pk>/files/<int:file_id>/", objection_views.objection_file_download, name="objection_file"),
    path("<int:record_id>/", views.record_detail, name="detail"),
    path("<int:record_id>/edit/", views.record_edit, name="edit"),
    path("<int:record_id>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:record_id>/<str:action>/", views.record_act, name="act"),
]
