"""The proof that nothing was written: a snapshot of every project table, compared before and after.

`db_snapshot()` gives, for each table of the project's apps (their history tables and many-to-many
tables included) and of the user accounts, the row count and a digest of every row's values, so
that an UPDATE is seen as well as an INSERT or a DELETE. The reference places (legacy provinces,
districts and communes: 10,000 rows nobody edits) are counted, not digested, to keep it fast.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.db import models

PROJECT_APPS = ("places", "clubs", "members", "funds", "life", "reports", "sheets", "auth", "django_tasks_database")
COUNTED_ONLY = {"places.legacyprovince", "places.legacydistrict", "places.legacycommune"}
# Figures a report keeps for the next one (reports.club_figures): reading a report writes them, and
# they are no data of anyone's. The versions they are checked against (reports.clubchange) are.
NOT_DATA = {"reports.clubfigures"}


def project_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy and _label(model) not in NOT_DATA
    ]


def _label(model) -> str:
    return model._meta.label_lower


def _digest(model) -> str:
    names = [field.attname for field in model._meta.concrete_fields]
    digest = hashlib.blake2b(digest_size=16)
    for row in model._default_manager.order_by("pk").values_list(*names).iterator(chunk_size=2000):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def db_snapshot() -> dict[str, tuple[int, str]]:
    """{table: (rows, digest of the rows)} for every project table."""
    snapshot = {}
    for model in project_models():
        label = _label(model)
        counted_only = label in COUNTED_ONLY or (model._meta.auto_created and "legacycommune" in label)
        snapshot[label] = (model._default_manager.count(), "" if counted_only else _digest(model))
    return snapshot


def row_counts() -> dict[str, int]:
    """{table: rows}: enough where only inserts are possible (an import refused as a whole)."""
    return {_label(model): model._default_manager.count() for model in project_models()}


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))
