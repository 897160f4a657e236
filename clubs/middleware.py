"""A person whose password was set by someone else chooses their own before using anything else.

The login marks the session (clubs.accounts.mark_session_at_login), so no page asks the database.
Until the password is changed every page sends them to the change form; logging out, the language
switch, the health check and the files every page needs (the service worker, the offline page) still
answer. Static files are served before any view.
"""

from django.shortcuts import redirect

from clubs.accounts import SESSION_KEY

STILL_OPEN = {
    "password_change",
    "password_change_done",
    "logout",
    "login",
    "set_language",
    "healthz",
    "service-worker",
    "offline",
}


class PasswordChangeDueMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        session = getattr(request, "session", None)
        if session is None or not session.get(SESSION_KEY) or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in STILL_OPEN:
            return None
        return redirect("password_change")
