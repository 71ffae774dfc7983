from django.urls import path

from ciqcredit.oversight import staffing_views, views

app_name = "oversight"

urlpatterns = [
    path("", views.home, name="home"),
    path("figures/<str:key>/", views.figure_rows_page, name="rows"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("sheets/<int:sheet_id>/", views.sheet_detail, name="sheet"),
    path("tasks/<int:task_id>/", views.task_detail, name="task"),
    path("circulars/<int:circular_id>.<str:fmt>", views.circular_file, name="circular_file"),
    path("staffing/", staffing_views.staffing, name="staffing"),
    path("staffing/import/", staffing_views.staffing_import_page, name="staffing_import"),
]
