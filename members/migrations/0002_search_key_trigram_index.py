"""A trigram index on Member.search_key, so that searching names without diacritics
(`search_key__contains`, i.e. LIKE '%nguyen thi%') stays fast over a million members.

PostgreSQL only (pg_trgm, a trusted extension the database owner may create); nothing on SQLite.
Not declared in Meta.indexes because SQLite has no GIN index; no model state changes here.
"""

from django.db import migrations

INDEX = "members_member_search_key_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member USING gin (search_key gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
