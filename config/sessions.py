"""Only a logout clears the session cookie.

Changing one's own password, and logging in, give the session a new key: the response sets the new
cookie and the old session is deleted. A request the browser sent a moment before with the old key
(the service worker checking for an update, a second tab, a page still loading) then finds no session,
or one whose password hash is stale and is flushed. Django's SessionMiddleware answers either with a
deletion of the cookie; arriving after the new cookie, it erased it and logged the person out right
after they chose their password (tests/test_session_cookie.py).

Left alone, the old cookie names a session that no longer exists and opens nothing; the browser keeps
the newer one. A logout (any way: our page, the admin's) still clears it.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.contrib.sessions.middleware import SessionMiddleware
from django.utils.cache import patch_vary_headers

ENDED = "_session_ended_by_logout"


def _remember_logout(sender, request, **kwargs):
    if request is not None:
        setattr(request, ENDED, True)


class SessionMiddlewareKeepingNewerCookie(SessionMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        user_logged_out.connect(_remember_logout, dispatch_uid="config.sessions.logout")

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if (
            session is not None
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and not getattr(request, ENDED, False)
            and session.is_empty()
        ):
            if session.accessed:
                patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)
