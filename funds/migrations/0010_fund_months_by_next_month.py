"""An index on the fund months' next month: the ledger of a report finds the rows in force on its date
through it (issue 19; funds.models.FundMonth)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0009_loans_by_fund_covering_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="fundmonth",
            index=models.Index(fields=["next_month"], name="fundmonth_next_month"),
        ),
    ]
