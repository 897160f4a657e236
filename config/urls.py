from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

import clubs.urls
import funds.urls
import members.urls
from clubs.views import OwnPasswordChangeView
from config.views import LogoutView, favicon, healthz, offline, service_worker
from reports.views import home

# The clubs name space gathers every club page; three of them live in a higher app because they show
# the members' composition (members.urls.club_pages) or open the club's funds (funds.urls.club_pages).
club_pages = ([*clubs.urls.urlpatterns, *members.urls.club_pages, *funds.urls.club_pages], "clubs")

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages (PDFs, errors) that name no icon.
    path("favicon.ico", favicon),
    # The service worker and its page for what it did not keep (README "Without signal").
    path("sw.js", service_worker, name="service-worker"),
    path("offline/", offline, name="offline"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    # Records the change, and ends the obligation to change a password someone else set (clubs/accounts.py).
    path("accounts/password/", OwnPasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include(club_pages)),
    path("", include("life.urls")),
    path("", include("members.urls")),
    path("", include("sheets.urls")),
    path("", include("funds.urls")),
    path("", include("reports.urls")),
]
