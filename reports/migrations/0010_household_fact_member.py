from django.db import migrations, models

# The household facts name their member (the poor borrowers are counted from them). Facts are copies of
# the register, written again for any club whose ClubFacts row is missing: the rows written before go,
# and the first report of each club writes them anew (reports.member_facts).
FORGET = "DELETE FROM reports_householdfact; DELETE FROM reports_membershipfact; DELETE FROM reports_clubfacts"


def forget(apps, schema_editor):
    for statement in FORGET.split("; "):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_member_facts"),
    ]

    operations = [
        migrations.RunPython(forget, migrations.RunPython.noop),
        migrations.AddField(
            model_name="householdfact",
            name="member_id",
            field=models.BigIntegerField(default=0),
            preserve_default=False,
        ),
    ]
