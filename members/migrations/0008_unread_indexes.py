"""Indexes no query reads and every write pays for (issue 19: the member import).

- householdstatus.member: (member, valid_from) and (member, valid_from, valid_to) begin with it;
- the club of the members' and memberships' history records: history is read by the row's id, and the
  memberships' by member (clubs.templatetags.audit)."""

import django.db.models.deletion
from django.db import migrations, models

# (table, column, index name): named alike by Django on PostgreSQL and SQLite.
INDEXES = [
    ("members_historicalmember", "club_id", "members_historicalmember_club_id_73116570"),
    ("members_historicalmembership", "club_id", "members_historicalmembership_club_id_f2c3ee96"),
    ("members_householdstatus", "member_id", "members_householdstatus_member_id_0d0304b9"),
]

# Only the indexes are dropped: AlterField would also drop and re-add each foreign key, checking every
# row of the table again under an exclusive lock (millions of instalments on a national database).
STATE = [
    migrations.AlterField(
        model_name="historicalmember",
        name="club",
        field=models.ForeignKey(
            blank=True,
            db_constraint=False,
            db_index=False,
            null=True,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to="clubs.club",
            verbose_name="CLB",
        ),
    ),
    migrations.AlterField(
        model_name="historicalmembership",
        name="club",
        field=models.ForeignKey(
            blank=True,
            db_constraint=False,
            db_index=False,
            null=True,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to="clubs.club",
        ),
    ),
    migrations.AlterField(
        model_name="householdstatus",
        name="member",
        field=models.ForeignKey(
            db_index=False,
            on_delete=django.db.models.deletion.CASCADE,
            related_name="household_statuses",
            to="members.member",
        ),
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("clubs", "0010_formula_start_refused"),
        ("members", "0007_redundant_indexes_dropped"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=STATE,
            database_operations=[
                migrations.RunSQL(
                    [f'DROP INDEX IF EXISTS "{name}"' for _table, _column, name in INDEXES],
                    [f'CREATE INDEX "{name}" ON "{table}" ("{column}")' for table, column, name in INDEXES],
                )
            ],
        )
    ]
