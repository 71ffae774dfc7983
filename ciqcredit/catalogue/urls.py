from django.urls import path

from ciqcredit.catalogue import views, views_edit

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("catalogue/<int:number>/items/new/", views_edit.item_form, name="item_add"),
    path("catalogue/<int:number>/items/<str:code>/", views_edit.item_form, name="item_edit"),
    path("catalogue/<int:number>/items/<str:code>/delete/", views_edit.item_delete, name="item_delete"),
    path("measures/<int:number>/measures/new/", views_edit.measure_form, name="measure_add"),
    path("measures/<int:number>/measures/<str:code>/", views_edit.measure_form, name="measure_edit"),
    path("measures/<int:number>/measures/<str:code>/delete/", views_edit.measure_delete, name="measure_delete"),
    path("joint/<int:number>/measures/new/", views_edit.joint_measure_form, name="joint_measure_add"),
    path("joint/<int:number>/measures/<str:code>/", views_edit.joint_measure_form, name="joint_measure_edit"),
    path(
        "joint/<int:number>/measures/<str:code>/delete/", views_edit.joint_measure_delete, name="joint_measure_delete"
    ),
    path("checklist/<int:number>/content/", views_edit.checklist_edit, name="checklist_edit"),
    path("ruleset/<int:number>/params/", views_edit.ruleset_edit, name="ruleset_edit"),
    path("ruleset/<int:number>/cases/new/", views_edit.ruleset_case_form, name="ruleset_case_add"),
    path("ruleset/<int:number>/cases/<int:position>/", views_edit.ruleset_case_form, name="ruleset_case_edit"),
    path(
        "ruleset/<int:number>/cases/<int:position>/delete/", views_edit.ruleset_case_delete, name="ruleset_case_delete"
    ),
    path("<str:kind>/", views.versions, name="versions"),
    path("<str:kind>/new/", views_edit.draft_create, name="draft_create"),
    path("<str:kind>/compare/", views.compare, name="compare"),
    path("<str:kind>/<int:number>/", views.version_detail, name="version"),
    path("<str:kind>/<int:number>/edit/", views_edit.version_edit, name="version_edit"),
    path("<str:kind>/<int:number>/import/", views_edit.import_file, name="import"),
    path("<str:kind>/<int:number>/export.<str:fmt>", views.export, name="export"),
    path("<str:kind>/<int:number>/submit/", views_edit.submit, name="submit"),
    path("<str:kind>/<int:number>/discard/", views_edit.discard, name="discard"),
    path("<str:kind>/<int:number>/return/", views_edit.return_version, name="return"),
    path("<str:kind>/<int:number>/publish/", views_edit.publish, name="publish"),
]
