from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClubsConfig(AppConfig):
    name = "clubs"
    verbose_name = _("Câu lạc bộ và địa bàn")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from clubs.accounts import mark_session_at_login

        # Every way of logging in (the login page, the Django admin's) marks the session of a person
        # who must change a password someone else set; the pages then need no query to know it.
        user_logged_in.connect(mark_session_at_login, dispatch_uid="clubs.password_change_due")
