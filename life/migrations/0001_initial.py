import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED = ["activity", "attendance", "healthcheck", "careassignment", "carevisit", "clubrating",
         "historicalactivity", "historicalhealthcheck", "historicalclubrating"]


def content_types_follow(apps, schema_editor):
    """The models' content types (and with them permissions and admin log entries) move to life."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="life", model=model).exists():
            ContentType.objects.filter(app_label="clubs", model=model).update(app_label="life")


def content_types_go_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="life", model__in=MOVED).update(app_label="clubs")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('clubs', '0005_club_life_moves_to_life'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('funds', '0003_loan_schedule_summary'),
        ('members', '0004_membership_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The club-life models, moved from the clubs app: their tables (clubs_activity…) already exist and keep their names and data.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Activity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('held_on', models.DateField(verbose_name='ngày')),
                        ('area', models.PositiveSmallIntegerField(choices=[(1, 'Tăng thu nhập, sinh kế'), (2, 'Chăm sóc sức khỏe'), (3, 'Chăm sóc tại nhà dựa vào tình nguyện viên'), (4, 'Tự giúp nhau và hỗ trợ cộng đồng'), (5, 'Bảo vệ quyền, lợi ích'), (6, 'Nâng cao nhận thức, học tập suốt đời'), (7, 'Văn hóa, văn nghệ, thể thao, thăm hỏi'), (8, 'Huy động nguồn lực')], verbose_name='mảng hoạt động')),
                        ('kind', models.CharField(choices=[('meeting', 'Sinh hoạt định kỳ hằng tháng'), ('training', 'Tập huấn, nói chuyện chuyên đề'), ('health_check', 'Khám, theo dõi sức khỏe'), ('home_care', 'Thăm, chăm sóc tại nhà'), ('community', 'Lao động, hỗ trợ cộng đồng'), ('culture', 'Văn nghệ, thể thao'), ('rights', 'Hỗ trợ quyền lợi, chính sách'), ('fund_raising', 'Vận động nguồn lực'), ('other', 'Khác')], max_length=15, verbose_name='loại hoạt động')),
                        ('title', models.CharField(max_length=200, verbose_name='tên hoạt động')),
                        ('description', models.TextField(blank=True, verbose_name='nội dung')),
                        ('participants_count', models.PositiveIntegerField(default=0, verbose_name='số người tham gia')),
                        ('volunteers_count', models.PositiveIntegerField(default=0, verbose_name='số tình nguyện viên tham gia')),
                        ('money_raised', models.BigIntegerField(blank=True, null=True, verbose_name='số tiền vận động được (đồng)')),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                        ('club', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='clubs.club', verbose_name='CLB')),
                        ('fund_entry', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='activity', to='funds.fundentry')),
                        ('participants', models.ManyToManyField(blank=True, related_name='activities', to='members.member', verbose_name='thành viên tham gia')),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'hoạt động',
                        'verbose_name_plural': 'hoạt động',
                        'db_table': 'clubs_activity',
                        'ordering': ['-held_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Attendance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('present', 'Có mặt'), ('absent', 'Vắng'), ('represented', 'Có người dự thay')], max_length=12, verbose_name='điểm danh')),
                        ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='life.activity')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendance', to='members.member')),
                    ],
                    options={
                        'verbose_name': 'điểm danh',
                        'verbose_name_plural': 'điểm danh',
                        'db_table': 'clubs_attendance',
                    },
                ),
                migrations.CreateModel(
                    name='CareAssignment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('from_date', models.DateField(verbose_name='từ ngày')),
                        ('to_date', models.DateField(blank=True, null=True, verbose_name='đến ngày')),
                        ('beneficiary', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_received', to='members.member')),
                        ('club', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_assignments', to='clubs.club')),
                        ('volunteer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_given', to='members.member')),
                    ],
                    options={
                        'verbose_name': 'phân công chăm sóc tại nhà',
                        'verbose_name_plural': 'phân công chăm sóc tại nhà',
                        'db_table': 'clubs_careassignment',
                        'ordering': ['club', '-from_date'],
                    },
                ),
                migrations.CreateModel(
                    name='CareVisit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('visited_on', models.DateField(verbose_name='ngày thăm')),
                        ('tasks', models.JSONField(default=list, verbose_name='công việc')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='ghi chú')),
                        ('beneficiary', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits_received', to='members.member')),
                        ('club', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_visits', to='clubs.club')),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('volunteer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits_made', to='members.member')),
                    ],
                    options={
                        'verbose_name': 'lần thăm tại nhà',
                        'verbose_name_plural': 'thăm, chăm sóc tại nhà',
                        'db_table': 'clubs_carevisit',
                        'ordering': ['club', '-visited_on'],
                    },
                ),
                migrations.CreateModel(
                    name='ClubRating',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='năm')),
                        ('rating', models.CharField(choices=[('strong', 'Vững mạnh'), ('good', 'Khá'), ('average', 'Trung bình'), ('weak', 'Yếu')], max_length=10, verbose_name='xếp loại')),
                        ('rated_on', models.DateField(verbose_name='ngày xếp loại')),
                        ('note', models.TextField(blank=True, verbose_name='nhận xét')),
                        ('club', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='clubs.club', verbose_name='CLB')),
                        ('rated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'xếp loại CLB',
                        'verbose_name_plural': 'xếp loại CLB',
                        'db_table': 'clubs_clubrating',
                        'ordering': ['club', '-year'],
                    },
                ),
                migrations.CreateModel(
                    name='HealthCheck',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('checked_on', models.DateField(verbose_name='ngày đo')),
                        ('weight_kg', models.DecimalField(blank=True, decimal_places=1, max_digits=4, null=True, validators=[django.core.validators.MinValueValidator(20), django.core.validators.MaxValueValidator(200)], verbose_name='cân nặng (kg)')),
                        ('systolic', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(60), django.core.validators.MaxValueValidator(260)], verbose_name='huyết áp tâm thu')),
                        ('diastolic', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(30), django.core.validators.MaxValueValidator(160)], verbose_name='huyết áp tâm trương')),
                        ('pulse', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(30), django.core.validators.MaxValueValidator(220)], verbose_name='mạch (lần/phút)')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='ghi chú')),
                        ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='health_checks', to='life.activity')),
                        ('club', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='health_checks', to='clubs.club')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='health_checks', to='members.member')),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'lần đo sức khỏe',
                        'verbose_name_plural': 'theo dõi sức khỏe',
                        'db_table': 'clubs_healthcheck',
                        'ordering': ['member', '-checked_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalActivity',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('held_on', models.DateField(verbose_name='ngày')),
                        ('area', models.PositiveSmallIntegerField(choices=[(1, 'Tăng thu nhập, sinh kế'), (2, 'Chăm sóc sức khỏe'), (3, 'Chăm sóc tại nhà dựa vào tình nguyện viên'), (4, 'Tự giúp nhau và hỗ trợ cộng đồng'), (5, 'Bảo vệ quyền, lợi ích'), (6, 'Nâng cao nhận thức, học tập suốt đời'), (7, 'Văn hóa, văn nghệ, thể thao, thăm hỏi'), (8, 'Huy động nguồn lực')], verbose_name='mảng hoạt động')),
                        ('kind', models.CharField(choices=[('meeting', 'Sinh hoạt định kỳ hằng tháng'), ('training', 'Tập huấn, nói chuyện chuyên đề'), ('health_check', 'Khám, theo dõi sức khỏe'), ('home_care', 'Thăm, chăm sóc tại nhà'), ('community', 'Lao động, hỗ trợ cộng đồng'), ('culture', 'Văn nghệ, thể thao'), ('rights', 'Hỗ trợ quyền lợi, chính sách'), ('fund_raising', 'Vận động nguồn lực'), ('other', 'Khác')], max_length=15, verbose_name='loại hoạt động')),
                        ('title', models.CharField(max_length=200, verbose_name='tên hoạt động')),
                        ('description', models.TextField(blank=True, verbose_name='nội dung')),
                        ('participants_count', models.PositiveIntegerField(default=0, verbose_name='số người tham gia')),
                        ('volunteers_count', models.PositiveIntegerField(default=0, verbose_name='số tình nguyện viên tham gia')),
                        ('money_raised', models.BigIntegerField(blank=True, null=True, verbose_name='số tiền vận động được (đồng)')),
                        ('recorded_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('club', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clubs.club', verbose_name='CLB')),
                        ('fund_entry', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funds.fundentry')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical hoạt động',
                        'verbose_name_plural': 'historical hoạt động',
                        'db_table': 'clubs_historicalactivity',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalClubRating',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='năm')),
                        ('rating', models.CharField(choices=[('strong', 'Vững mạnh'), ('good', 'Khá'), ('average', 'Trung bình'), ('weak', 'Yếu')], max_length=10, verbose_name='xếp loại')),
                        ('rated_on', models.DateField(verbose_name='ngày xếp loại')),
                        ('note', models.TextField(blank=True, verbose_name='nhận xét')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('club', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clubs.club', verbose_name='CLB')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('rated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical xếp loại CLB',
                        'verbose_name_plural': 'historical xếp loại CLB',
                        'db_table': 'clubs_historicalclubrating',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalHealthCheck',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('checked_on', models.DateField(verbose_name='ngày đo')),
                        ('weight_kg', models.DecimalField(blank=True, decimal_places=1, max_digits=4, null=True, validators=[django.core.validators.MinValueValidator(20), django.core.validators.MaxValueValidator(200)], verbose_name='cân nặng (kg)')),
                        ('systolic', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(60), django.core.validators.MaxValueValidator(260)], verbose_name='huyết áp tâm thu')),
                        ('diastolic', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(30), django.core.validators.MaxValueValidator(160)], verbose_name='huyết áp tâm trương')),
                        ('pulse', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(30), django.core.validators.MaxValueValidator(220)], verbose_name='mạch (lần/phút)')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='ghi chú')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('activity', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='life.activity')),
                        ('club', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clubs.club')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('member', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.member')),
                        ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical lần đo sức khỏe',
                        'verbose_name_plural': 'historical theo dõi sức khỏe',
                        'db_table': 'clubs_historicalhealthcheck',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddIndex(
                    model_name='activity',
                    index=models.Index(fields=['club', 'held_on'], name='clubs_activ_club_id_768981_idx'),
                ),
                migrations.AddIndex(
                    model_name='activity',
                    index=models.Index(fields=['club', 'kind', 'held_on'], name='clubs_activ_club_id_ecfade_idx'),
                ),
                migrations.AddConstraint(
                    model_name='activity',
                    constraint=models.UniqueConstraint(condition=models.Q(('kind', 'meeting')), fields=('club', 'held_on'), name='one_monthly_meeting_per_club_and_day', violation_error_message='CLB đã có buổi sinh hoạt định kỳ vào ngày này.'),
                ),
                migrations.AddConstraint(
                    model_name='attendance',
                    constraint=models.UniqueConstraint(fields=('activity', 'member'), name='one_attendance_per_member'),
                ),
                migrations.AddConstraint(
                    model_name='careassignment',
                    constraint=models.CheckConstraint(condition=models.Q(('to_date__isnull', True), ('to_date__gte', models.F('from_date')), _connector='OR'), name='care_assignment_dates_in_order', violation_error_message='Ngày kết thúc phân công không được trước ngày bắt đầu.'),
                ),
                migrations.AddIndex(
                    model_name='carevisit',
                    index=models.Index(fields=['beneficiary', 'visited_on'], name='clubs_carev_benefic_2965ef_idx'),
                ),
                migrations.AddConstraint(
                    model_name='clubrating',
                    constraint=models.UniqueConstraint(fields=('club', 'year'), name='one_rating_per_club_and_year'),
                ),
                migrations.AddIndex(
                    model_name='healthcheck',
                    index=models.Index(fields=['member', 'checked_on'], name='clubs_healt_member__4b29a2_idx'),
                ),
                migrations.AddIndex(
                    model_name='healthcheck',
                    index=models.Index(fields=['club', 'checked_on'], name='clubs_healt_club_id_16132e_idx'),
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_go_back),
    ]
