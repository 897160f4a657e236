"""The PostgreSQL session settings the application's connections start with (config.settings).

A report with nothing kept runs its queries side by side on connections of its own; JIT compilation and
a query's own parallel workers only cost it time there (the measurements are in config/settings.py).
Every connection the application opens must start with both off, the side-by-side ones included.
"""

import pytest
from django.db import connection, connections

from reports import side_by_side

pytestmark = pytest.mark.django_db


def _settings(cursor) -> tuple[str, str]:
    cursor.execute("SELECT current_setting('jit'), current_setting('max_parallel_workers_per_gather')")
    return cursor.fetchone()


@pytest.mark.postgresql(reason="session settings of PostgreSQL connections")
def test_the_applications_connections_start_without_jit_or_parallel_workers(monkeypatch):
    with connection.cursor() as cursor:
        assert _settings(cursor) == ("off", "0")
    # A connection of a group run side by side (a thread's own, opened from the same settings).
    found = []
    monkeypatch.setattr(side_by_side, "possible", lambda: True)

    def group():
        with connections["default"].cursor() as cursor:
            found.append(_settings(cursor))

    assert side_by_side.run([lambda: None, group]) == 2
    assert found == [("off", "0")]
