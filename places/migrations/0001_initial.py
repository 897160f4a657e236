import django.db.models.deletion
from django.db import migrations, models

MOVED = ["province", "commune", "legacyprovince", "legacydistrict", "legacycommune"]


def content_types_follow(apps, schema_editor):
    """The models' content types (and with them permissions and admin log entries) move to places."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="places", model=model).exists():
            ContentType.objects.filter(app_label="clubs", model=model).update(app_label="places")


def content_types_go_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="places", model__in=MOVED).update(app_label="clubs")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('clubs', '0005_club_life_moves_to_life'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    # The places models, moved from the clubs app: their tables (clubs_province…) already exist and keep their names and data.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Commune',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.PositiveIntegerField(unique=True, verbose_name='mã xã')),
                        ('name', models.CharField(max_length=100, verbose_name='tên')),
                        ('division_type', models.CharField(max_length=40, verbose_name='loại đơn vị')),
                        ('codename', models.SlugField(max_length=100)),
                        ('area_class', models.CharField(choices=[('plains', 'Đồng bằng'), ('mountain', 'Miền núi'), ('border', 'Biên giới'), ('island', 'Hải đảo')], default='plains', max_length=10, verbose_name='phân loại vùng')),
                        ('ethnic_minority_area', models.BooleanField(default=False, verbose_name='vùng đồng bào dân tộc thiểu số')),
                    ],
                    options={
                        'verbose_name': 'xã/phường',
                        'verbose_name_plural': 'xã/phường',
                        'db_table': 'clubs_commune',
                        'ordering': ['province__code', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='LegacyDistrict',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.PositiveIntegerField(unique=True, verbose_name='mã huyện cũ')),
                        ('name', models.CharField(max_length=100, verbose_name='tên')),
                        ('division_type', models.CharField(max_length=40, verbose_name='loại đơn vị')),
                        ('codename', models.SlugField(max_length=100)),
                    ],
                    options={
                        'verbose_name': 'huyện cũ (trước 7/2025)',
                        'verbose_name_plural': 'huyện cũ (trước 7/2025)',
                        'db_table': 'clubs_legacydistrict',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='LegacyProvince',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.PositiveSmallIntegerField(unique=True, verbose_name='mã tỉnh cũ')),
                        ('name', models.CharField(max_length=100, verbose_name='tên')),
                        ('division_type', models.CharField(max_length=40, verbose_name='loại đơn vị')),
                        ('codename', models.SlugField(max_length=100)),
                    ],
                    options={
                        'verbose_name': 'tỉnh cũ (trước 7/2025)',
                        'verbose_name_plural': 'tỉnh cũ (trước 7/2025)',
                        'db_table': 'clubs_legacyprovince',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='Province',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.PositiveSmallIntegerField(help_text='Mã đơn vị hành chính chính thức', unique=True, verbose_name='mã tỉnh')),
                        ('name', models.CharField(max_length=100, verbose_name='tên')),
                        ('division_type', models.CharField(max_length=40, verbose_name='loại đơn vị')),
                        ('codename', models.SlugField(max_length=100)),
                    ],
                    options={
                        'verbose_name': 'tỉnh/thành phố',
                        'verbose_name_plural': 'tỉnh/thành phố',
                        'db_table': 'clubs_province',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='LegacyCommune',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.PositiveIntegerField(unique=True, verbose_name='mã xã cũ')),
                        ('name', models.CharField(max_length=100, verbose_name='tên')),
                        ('division_type', models.CharField(max_length=40, verbose_name='loại đơn vị')),
                        ('codename', models.SlugField(max_length=100)),
                        ('was_split', models.BooleanField(default=False, verbose_name='bị chia tách')),
                        ('current_communes', models.ManyToManyField(blank=True, related_name='legacy_sources', to='places.commune')),
                        ('district', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='communes', to='places.legacydistrict')),
                    ],
                    options={
                        'verbose_name': 'xã cũ (trước 7/2025)',
                        'verbose_name_plural': 'xã cũ (trước 7/2025)',
                        'db_table': 'clubs_legacycommune',
                        'ordering': ['code'],
                    },
                ),
                migrations.AddField(
                    model_name='legacydistrict',
                    name='province',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='districts', to='places.legacyprovince'),
                ),
                migrations.AddField(
                    model_name='legacyprovince',
                    name='current_province',
                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='legacy_sources', to='places.province', verbose_name='tỉnh hiện nay'),
                ),
                migrations.AddField(
                    model_name='commune',
                    name='province',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='communes', to='places.province', verbose_name='tỉnh'),
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_go_back),
    ]
