"""Reads for reports on a PostgreSQL read replica, when one is configured (DATABASE_REPLICA_URL).

Reports are the heavy reads (aggregates over a province or the whole country); sending them to a
streaming replica keeps the primary free for the people entering data. What goes to the replica:
- every read of the reports app's own models (plans, targets, submitted reports);
- inside `reading_from_replica()` (which `ReplicaForReportsMiddleware` opens around GET requests of
  the report pages, and which a background job rendering a PDF may open too), reads of the register
  apps as well (clubs, members, funds): what the report aggregates.
Writes always go to the primary, and so do reads of accounts, sessions and the like (a session
written at login must be found on the next request, whatever the replica's lag). Without a
replica everything goes to "default", as before.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.conf import settings

REPLICA = "replica"
_reading_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def reading_from_replica() -> Iterator[None]:
    """Within this block, reads of the register and report models go to the replica (when configured)."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if not replica_configured():
            return None
        label = model._meta.app_label
        if label in settings.REPLICA_READ_APPS:
            return REPLICA
        if _reading_replica.get() and label in settings.REPLICA_CONTEXT_APPS:
            return REPLICA
        return None

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Both aliases hold the same data (the replica follows the primary).
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == "default"


class ReplicaForReportsMiddleware:
    """Reads of GET / HEAD requests to the report pages (URL namespaces in REPLICA_URL_NAMESPACES) go to the
    replica. Forms that save (POST) stay on the primary, so what was just written is what is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _reading_replica.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        if (
            replica_configured()
            and request.method in ("GET", "HEAD")
            and match is not None
            and match.namespace in settings.REPLICA_URL_NAMESPACES
        ):
            request._replica_token = _reading_replica.set(True)
