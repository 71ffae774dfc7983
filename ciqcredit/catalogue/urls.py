from django.urls import path

from ciqcredit.catalogue import views, views_edit

app_name = "catalogue"

MEASURES, JOINT, CHECKLIST = {"kind": "measures"}, {"kind": "joint"}, {"kind": "checklist"}

urlpatterns = [
    path("", views.home, name="home"),
    path("catalogue/<int:number>/items/new/", views_edit.item_form, name="item_add"),
    path("catalogue/<int:number>/items/<str:code>/", views_edit.item_form, name="item_edit"),
    path("catalogue/<int:number>/items/<str:code>/delete/", views_edit.item_delete, name="item_delete"),
    # The rows of a draft, one by one (views_edit.ROW_PAGES): measures, joint measures, checklist items.
    path("measures/<int:number>/measures/new/", views_edit.row_form, MEASURES, name="measure_add"),
    path("measures/<int:number>/measures/<str:code>/", views_edit.row_form, MEASURES, name="measure_edit"),
    path("measures/<int:number>/measures/<str:code>/delete/", views_edit.row_delete, MEASURES, name="measure_delete"),
    path("joint/<int:number>/measures/new/", views_edit.row_form, JOINT, name="joint_measure_add"),
    path("joint/<int:number>/measures/<str:code>/", views_edit.row_form, JOINT, name="joint_measure_edit"),
    path("joint/<int:number>/measures/<str:code>/delete/", views_edit.row_delete, JOINT, name="joint_measure_delete"),
    path("checklist/<int:number>/items/new/", views_edit.row_form, CHECKLIST, name="checklist_item_add"),
    path("checklist/<int:number>/items/<str:code>/", views_edit.row_form, CHECKLIST, name="checklist_item_edit"),
    path(
        "checklist/<int:number>/items/<str:code>/delete/",
        views_edit.row_delete,
        CHECKLIST,
        name="checklist_item_delete",
    ),
    path(
        "checklist/<int:number>/items/<str:code>/up/",
        views_edit.row_move,
        {**CHECKLIST, "offset": -1},
        name="checklist_item_up",
    ),
    path(
        "checklist/<int:number>/items/<str:code>/down/",
        views_edit.row_move,
        {**CHECKLIST, "offset": 1},
        name="checklist_item_down",
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
