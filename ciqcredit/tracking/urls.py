from django.urls import path

from ciqcredit.tracking import views

app_name = "tracking"

urlpatterns = [
    path("", views.item_list, name="items"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("figures/", views.figures, name="figures"),
]
