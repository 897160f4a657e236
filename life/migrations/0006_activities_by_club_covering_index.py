"""The activities' index by club and date carries what the reports read of them (PostgreSQL only).

A report counts, per club, the activity areas and the months with a meeting in the period
(reports.indicators, the activities part): every activity of the period, for its area and kind. With
those two included in the (club, held_on) index the server answers from the index alone: the country's
690,000 activities of a year among 3.8 million, EXPLAIN ANALYZE with timing off, 625 → 270–345 ms. It
replaces the plain index on the same key (Activity.Meta.indexes, kept as it is on other databases), so a
new activity writes no more indexes than before. As funds 0009: not declared in Meta.indexes because
INCLUDE is PostgreSQL's; no model state changes here.
"""

from django.db import migrations

PLAIN = "clubs_activ_club_id_768981_idx"
COVERING = "clubs_activity_by_club_covering"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {COVERING} ON clubs_activity (club_id, held_on) INCLUDE (area, kind)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {PLAIN}")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {PLAIN} ON clubs_activity (club_id, held_on)")
        schema_editor.execute(f"DROP INDEX IF EXISTS {COVERING}")


class Migration(migrations.Migration):
    dependencies = [("life", "0005_history_without_date_index")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
