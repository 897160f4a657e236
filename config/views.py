"""The one page that is not a part of the domain: the health check for load balancers and monitoring."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
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
