import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clubs', '0005_club_life_moves_to_life'),
        ('places', '0001_initial'),
        ('reports', '0003_provinces_now_in_places'),
    ]

    # The places models move to the places app (places 0001) with their tables; the foreign keys to them point there. Only Django's record changes.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalclub',
                    name='commune',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='places.commune', verbose_name='xã/phường'),
                ),
                migrations.AlterField(
                    model_name='assignment',
                    name='commune',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='places.commune', verbose_name='xã/phường'),
                ),
                migrations.AlterField(
                    model_name='club',
                    name='commune',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='clubs', to='places.commune', verbose_name='xã/phường'),
                ),
                migrations.RemoveField(
                    model_name='legacycommune',
                    name='current_communes',
                ),
                migrations.RemoveField(
                    model_name='legacycommune',
                    name='district',
                ),
                migrations.AlterField(
                    model_name='historicalclub',
                    name='legacy_commune',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='places.legacycommune', verbose_name='xã cũ (theo quyết định thành lập)'),
                ),
                migrations.AlterField(
                    model_name='club',
                    name='legacy_commune',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='clubs', to='places.legacycommune', verbose_name='xã cũ (theo quyết định thành lập)'),
                ),
                migrations.RemoveField(
                    model_name='legacydistrict',
                    name='province',
                ),
                migrations.RemoveField(
                    model_name='legacyprovince',
                    name='current_province',
                ),
                migrations.AlterField(
                    model_name='club',
                    name='province',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='clubs', to='places.province', verbose_name='tỉnh'),
                ),
                migrations.AlterField(
                    model_name='historicalclub',
                    name='province',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='places.province', verbose_name='tỉnh'),
                ),
                migrations.AlterField(
                    model_name='compositionstandard',
                    name='province',
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='composition_standard', to='places.province', verbose_name='tỉnh (để trống: toàn quốc)'),
                ),
                migrations.AlterField(
                    model_name='assignment',
                    name='province',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='places.province', verbose_name='tỉnh'),
                ),
                migrations.DeleteModel(
                    name='Commune',
                ),
                migrations.DeleteModel(
                    name='LegacyCommune',
                ),
                migrations.DeleteModel(
                    name='LegacyDistrict',
                ),
                migrations.DeleteModel(
                    name='LegacyProvince',
                ),
                migrations.DeleteModel(
                    name='Province',
                ),
            ],
        ),
    ]
