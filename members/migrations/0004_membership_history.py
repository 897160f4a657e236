"""Stays in clubs (joining, leaving, moving) keep their history, as the other register tables do.

Each stay already recorded gets a first history record, so that the first change made from now on
shows what it changed. Re-runnable: a stay that has history records is left alone.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

BASELINE_REASON = "Ghi nhận khi bắt đầu lưu lịch sử"


def record_existing_stays(apps, schema_editor):
    # One INSERT … SELECT: a million stays in seconds, on PostgreSQL and SQLite alike.
    schema_editor.execute(
        "INSERT INTO members_historicalmembership "
        "(id, member_id, club_id, joined_on, left_on, leave_reason, "
        " history_date, history_change_reason, history_type, history_user_id) "
        "SELECT m.id, m.member_id, m.club_id, m.joined_on, m.left_on, m.leave_reason, %s, %s, '+', NULL "
        "FROM members_membership m "
        "WHERE NOT EXISTS (SELECT 1 FROM members_historicalmembership h WHERE h.id = m.id)",
        [schema_editor.connection.ops.adapt_datetimefield_value(timezone.now()), BASELINE_REASON],
    )


class Migration(migrations.Migration):

    dependencies = [
        ('clubs', '0004_one_meeting_a_day_care_dates_in_order'),
        ('members', '0003_member_name_order_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalMembership',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('joined_on', models.DateField(verbose_name='ngày tham gia')),
                ('left_on', models.DateField(blank=True, null=True, verbose_name='ngày rời CLB')),
                ('leave_reason', models.CharField(blank=True, choices=[('moved', 'Chuyển đi nơi khác'), ('transferred', 'Chuyển sang CLB khác'), ('died', 'Qua đời'), ('withdrew', 'Xin rút khỏi CLB')], max_length=12, verbose_name='lý do rời CLB')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('club', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clubs.club')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('member', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.member')),
            ],
            options={
                'verbose_name': 'historical quá trình sinh hoạt',
                'verbose_name_plural': 'historical quá trình sinh hoạt',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(record_existing_stays, migrations.RunPython.noop, elidable=True),
    ]
