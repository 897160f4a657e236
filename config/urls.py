from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from clubs import views as club_views

urlpatterns = [
    path("", club_views.home, name="home"),
    path("healthz", club_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("clubs.urls")),
    path("", include("life.urls")),
    path("", include("members.urls")),
    path("", include("sheets.urls")),
    path("", include("funds.urls")),
    path("", include("reports.urls")),
]
