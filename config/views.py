"""The one page that is not a part of the domain: the health check for load balancers and monitoring."""

import hashlib
import json
from pathlib import Path
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.staticfiles import finders
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the app and its database answer; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def favicon(request):
    """Browsers ask for /favicon.ico on pages (PDFs, errors) that name no icon. The static URL is
    looked up at request time: with hashed static files it exists only after collectstatic."""
    return HttpResponsePermanentRedirect(static("icons/icon-32.png"))


# The app shell the service worker keeps from its first start (README "Without signal"): what every
# page needs to draw itself with no signal. Pages are kept as they are visited or prepared.
APP_SHELL = (
    "bootstrap/css/bootstrap.min.css",
    "bootstrap/js/bootstrap.bundle.min.js",
    "css/app.css",
    "css/life.css",
    "js/app.js",
    "js/select_search.js",
    "js/meeting_day.js",
    "js/offline.js",
    "js/offline_start.js",
    "vendor/dexie/dexie.min.js",
    "icons/icon.svg",
    "icons/icon-32.png",
    "icons/icon-192.png",
)
WORKBOX_MODULES = ("core", "routing", "strategies", "precaching")


def _revision(*paths: str) -> str:
    """A short hash of static files' content: with unhashed static URLs (DEBUG), the service worker
    still notices a changed file."""
    digest = hashlib.sha256()
    for path in paths:
        found = finders.find(path)
        if found:
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:16]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js, at the root so that it may serve every page of the site (a worker's scope is its folder)."""
    shell = [{"url": static(path), "revision": _revision(path)} for path in APP_SHELL]
    shell.append({"url": reverse("offline"), "revision": _revision(*APP_SHELL)})
    response = render(
        request,
        "sw.js",
        {
            "modules": json.dumps(
                [static(f"vendor/workbox/workbox-{name}.prod.js") for name in WORKBOX_MODULES]
            ),
            "shell": json.dumps(shell),
            "offline_url": json.dumps(reverse("offline")),
        },
        content_type="text/javascript; charset=utf-8",
    )
    # Browsers check for a new worker at each visit; never from a stale HTTP cache.
    response["Cache-Control"] = "no-cache"
    return response


def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page it did not keep, with the meetings waiting on the phone.
    The same for everyone (it is kept on the device), so it names no one."""
    return render(request, "offline.html")


class LogoutView(auth_views.LogoutView):
    """Logging out also clears what this site stored on the device (the offline meetings, the kept
    pages): `Clear-Site-Data`, and static/js/app.js deletes them too for browsers without it."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"storage"'
        return response
