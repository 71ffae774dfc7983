from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from ciqcredit.web import views

app_name = "web"


class FaviconView(RedirectView):
    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("web/favicon.svg")  # at request time: the hashed name comes from the manifest


urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    # Browsers ask for /favicon.ico on their own, whatever the page's <link rel="icon"> says.
    path("favicon.ico", FaviconView.as_view(permanent=True)),
]
