import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('places', '0001_initial'),
        ('reports', '0002_club_figures_kept_between_reports'),
    ]

    # Province moved to the places app with its table: only Django's record of the foreign key changes.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalplan',
                    name='province',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='places.province', verbose_name='tỉnh (để trống: toàn quốc)'),
                ),
                migrations.AlterField(
                    model_name='plan',
                    name='province',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='places.province', verbose_name='tỉnh (để trống: toàn quốc)'),
                ),
                migrations.AlterField(
                    model_name='submittedreport',
                    name='province',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='submitted_reports', to='places.province', verbose_name='tỉnh (để trống: toàn quốc)'),
                ),
            ],
        ),
    ]
