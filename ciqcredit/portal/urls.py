from django.urls import path

from ciqcredit.portal import views

app_name = "portal"

# Other modules' portal pages are included here, under /portal/.
urlpatterns = [
    path("", views.home, name="home"),
]
