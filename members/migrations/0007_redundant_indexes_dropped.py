"""Indexes that no query needed and every write paid for (issue 19: a 50,000-member import).

- members_member(club_id): every index of Member's Meta begins with the club;
- members_member(search_key) and its LIKE twin: searches use the trigram index (0002), name order the
  covering (search_key, id) index (0003);
- members_membership(club_id): (club, joined_on, left_on) begins with it.
Measured on PostgreSQL 15 (province data, 50,000 members inserted in a transaction rolled back): the
three member indexes cost 0.36 s of server CPU of the 1.5 s the insert took without the trigram index.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clubs", "0010_formula_start_refused"),
        ("members", "0006_history_without_citizen_id_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="member",
            name="club",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="members",
                to="clubs.club",
                verbose_name="CLB",
            ),
        ),
        migrations.AlterField(
            model_name="member",
            name="search_key",
            field=models.CharField(editable=False, max_length=120),
        ),
        migrations.AlterField(
            model_name="membership",
            name="club",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="memberships",
                to="clubs.club",
            ),
        ),
    ]
