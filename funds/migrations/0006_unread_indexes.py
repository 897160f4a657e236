"""Indexes no query reads and every write pays for (issue 19: the loan and contribution imports).

- the foreign keys fundentry.fund, loan.fund, loan.member, instalment.loan, repayment.loan and
  fundmonth.fund: an index or unique constraint of the same model begins with each;
- the history tables' keys other than those the change panels read (clubs.templatetags.audit reads the
  entries' history by fund and by loan, the repayments' by loan; every record also by its row's id)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (table, column, index name): named alike by Django on PostgreSQL and SQLite.
INDEXES = [
    ("funds_fundentry", "fund_id", "funds_fundentry_fund_id_0de2c5fd"),
    ("funds_fundmonth", "fund_id", "funds_fundmonth_fund_id_9f51152e"),
    ("funds_historicalfundentry", "member_id", "funds_historicalfundentry_member_id_90a9cf8c"),
    ("funds_historicalfundentry", "recorded_by_id", "funds_historicalfundentry_recorded_by_id_682b7e3b"),
    ("funds_historicalfundentry", "repayment_id", "funds_historicalfundentry_repayment_id_8e489ce8"),
    ("funds_historicalfundentry", "reverses_id", "funds_historicalfundentry_reverses_id_a556dea6"),
    ("funds_historicalfundentry", "transfer_pair_id", "funds_historicalfundentry_transfer_pair_id_1f1e2500"),
    ("funds_historicalloan", "fund_id", "funds_historicalloan_fund_id_e3d87fe1"),
    ("funds_historicalloan", "member_id", "funds_historicalloan_member_id_62a4e824"),
    ("funds_historicalloan", "recorded_by_id", "funds_historicalloan_recorded_by_id_be37482f"),
    ("funds_historicalrepayment", "recorded_by_id", "funds_historicalrepayment_recorded_by_id_01ae2b96"),
    ("funds_historicalrepayment", "reverses_id", "funds_historicalrepayment_reverses_id_a66e2538"),
    ("funds_instalment", "loan_id", "funds_instalment_loan_id_b667ecc7"),
    ("funds_loan", "fund_id", "funds_loan_fund_id_4a262c01"),
    ("funds_loan", "member_id", "funds_loan_member_id_78337053"),
    ("funds_repayment", "loan_id", "funds_repayment_loan_id_d4ce00e2"),
]

# Only the indexes are dropped: AlterField would also drop and re-add each foreign key, checking every
# row of the table again under an exclusive lock (millions of instalments on a national database).
STATE = [
    migrations.AlterField(
        model_name="fundentry",
        name="fund",
        field=models.ForeignKey(
            db_index=False,
            on_delete=django.db.models.deletion.PROTECT,
            related_name="entries",
            to="funds.fund",
            verbose_name="quỹ",
        ),
    ),
    migrations.AlterField(
        model_name="fundmonth",
        name="fund",
        field=models.ForeignKey(
            db_index=False,
            on_delete=django.db.models.deletion.CASCADE,
            related_name="months",
            to="funds.fund",
        ),
    ),
    migrations.AlterField(
        model_name="historicalfundentry",
        name="member",
        field=models.ForeignKey(
            blank=True,
            db_constraint=False,
            db_index=False,
            null=True,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to="members.member",
            verbose_name="thành viên đóng góp",
        ),
    ),
    migrations.AlterField(
        model_name="historicalfundentry",
        name="recorded_by",
        field=models.ForeignKey(
            blank=True,
            db_constraint=False,
            db_index=False,
            null=True,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to=settings.AUTH_USER_MODEL,
        ),
    ),
    migrations.AlterField(
        model_name="historicalfundentry",
        name="repayment",
        field=models.ForeignKey(
            blank=True,
            db_constraint=False,
            db_index=False,
            null=True,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to="funds.repayment",
        ),
    ),
    migrations.AlterField(
        model_name="historicalfundentry",
        name="reverses",
        field=models.ForeignKey(
            blank=True,
            db_constraint=False,
            db_index=False,
            null=True,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to="funds.fundentry",
            verbose_name="đảo bút toán",
        ),
    ),
    migrations.AlterField(
        model_name="historicalfundentry",
        name="transfer_pair",
        field=models.ForeignKey(
            blank=True,
            db_constraint=False,
            db_index=False,
            null=True,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to="funds.fundentry",
        ),
    ),
    migrations.AlterField(
        model_name="historicalloan",
        name="fund",
        field=models.ForeignKey(
            blank=True,
            db_constraint=False,
            db_index=False,
            null=True,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to="funds.fund",
            verbose_name="quỹ",
        ),
    ),
    migrations.AlterField(
        model_name="historicalloan",
        name="member",
        field=models.ForeignKey(
            blank=True,
            db_constraint=False,
            db_index=False,
            null=True,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to="members.member",
            verbose_name="người vay",
        ),
    ),
    migrations.AlterField(
        model_name="historicalloan",
        name="recorded_by",
        field=models.ForeignKey(
            blank=True,
            db_constraint=False,
            db_index=False,
            null=True,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to=settings.AUTH_USER_MODEL,
        ),
    ),
    migrations.AlterField(
        model_name="historicalrepayment",
        name="recorded_by",
        field=models.ForeignKey(
            blank=True,
            db_constraint=False,
            db_index=False,
            null=True,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to=settings.AUTH_USER_MODEL,
        ),
    ),
    migrations.AlterField(
        model_name="historicalrepayment",
        name="reverses",
        field=models.ForeignKey(
            blank=True,
            db_constraint=False,
            db_index=False,
            null=True,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to="funds.repayment",
            verbose_name="hủy lần trả",
        ),
    ),
    migrations.AlterField(
        model_name="instalment",
        name="loan",
        field=models.ForeignKey(
            db_index=False,
            on_delete=django.db.models.deletion.CASCADE,
            related_name="instalments",
            to="funds.loan",
        ),
    ),
    migrations.AlterField(
        model_name="loan",
        name="fund",
        field=models.ForeignKey(
            db_index=False,
            on_delete=django.db.models.deletion.PROTECT,
            related_name="loans",
            to="funds.fund",
            verbose_name="quỹ",
        ),
    ),
    migrations.AlterField(
        model_name="loan",
        name="member",
        field=models.ForeignKey(
            db_index=False,
            on_delete=django.db.models.deletion.PROTECT,
            related_name="loans",
            to="members.member",
            verbose_name="người vay",
        ),
    ),
    migrations.AlterField(
        model_name="repayment",
        name="loan",
        field=models.ForeignKey(
            db_index=False,
            on_delete=django.db.models.deletion.PROTECT,
            related_name="repayments",
            to="funds.loan",
            verbose_name="khoản vay",
        ),
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0005_loan_and_fund_running_totals"),
        ("members", "0007_redundant_indexes_dropped"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
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
