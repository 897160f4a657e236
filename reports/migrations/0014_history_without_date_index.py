"""No index on the history records' dates (SIMPLE_HISTORY_DATE_INDEX = False, config.settings): no query
reads them by date; every change and imported row wrote it (issue 19: 50,000 membership records 309 → 259 ms)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0013_history_user_without_constraint"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalcyclereport",
            name="history_date",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="historicalplan",
            name="history_date",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="historicaltarget",
            name="history_date",
            field=models.DateTimeField(),
        ),
    ]
