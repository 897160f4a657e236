"""Club life: activities in the 8 areas, the monthly meeting and its attendance, health checks, home
care by volunteers, yearly ratings.

These models were first written in the clubs app; their tables kept the names they had there
(`db_table`), so the move (migrations life 0001 and clubs 0005) changed no data.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clubs.models import ActivityArea, Club
from places.text import NoFormulaStart


class ActivityType(models.TextChoices):
    MONTHLY_MEETING = "meeting", _("Sinh hoạt định kỳ hằng tháng")
    TRAINING = "training", _("Tập huấn, nói chuyện chuyên đề")
    HEALTH_CHECK = "health_check", _("Khám, theo dõi sức khỏe")
    HOME_CARE = "home_care", _("Thăm, chăm sóc tại nhà")
    COMMUNITY_WORK = "community", _("Lao động, hỗ trợ cộng đồng")
    CULTURE_SPORT = "culture", _("Văn nghệ, thể thao")
    RIGHTS_SUPPORT = "rights", _("Hỗ trợ quyền lợi, chính sách")
    FUND_RAISING = "fund_raising", _("Vận động nguồn lực")
    OTHER = "other", _("Khác")


class Activity(models.Model):
    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="activities", verbose_name=_("CLB"))
    held_on = models.DateField(_("ngày"))
    area = models.PositiveSmallIntegerField(_("mảng hoạt động"), choices=ActivityArea.choices)
    kind = models.CharField(_("loại hoạt động"), max_length=15, choices=ActivityType.choices)
    title = models.CharField(
        _("tên hoạt động"), max_length=200, validators=[NoFormulaStart(_("Tên hoạt động"))]
    )
    description = models.TextField(
        _("nội dung"), blank=True, validators=[NoFormulaStart(_("Nội dung"), prose=True)]
    )
    participants_count = models.PositiveIntegerField(_("số người tham gia"), default=0)
    participants = models.ManyToManyField(
        "members.Member", related_name="activities", blank=True, verbose_name=_("thành viên tham gia")
    )
    volunteers_count = models.PositiveIntegerField(_("số tình nguyện viên tham gia"), default=0)
    money_raised = models.BigIntegerField(_("số tiền vận động được (đồng)"), null=True, blank=True)
    fund_entry = models.OneToOneField(
        "funds.FundEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="activity"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(user_db_constraint=False, m2m_fields=[], table_name="clubs_historicalactivity")

    scope_lookups = ("club__province_id", "club__commune_id")

    class Meta:
        db_table = "clubs_activity"
        verbose_name = _("hoạt động")
        verbose_name_plural = _("hoạt động")
        ordering = ["-held_on", "-id"]
        # (club, held_on): on PostgreSQL replaced by one that also carries area and kind (life 0006).
        indexes = [models.Index(fields=["club", "held_on"]), models.Index(fields=["club", "kind", "held_on"])]
        constraints = [
            # The meeting-day page records "the" meeting of a day; two would split its attendance.
            models.UniqueConstraint(
                fields=["club", "held_on"],
                condition=Q(kind="meeting"),
                name="one_monthly_meeting_per_club_and_day",
                violation_error_message=_("CLB đã có buổi sinh hoạt định kỳ vào ngày này."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} {self.title}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Có mặt")
    ABSENT = "absent", _("Vắng")
    REPRESENTED = "represented", _("Có người dự thay")


class Attendance(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("điểm danh"), max_length=12, choices=AttendanceStatus.choices)

    class Meta:
        db_table = "clubs_attendance"
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        constraints = [
            models.UniqueConstraint(fields=["activity", "member"], name="one_attendance_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.get_status_display()}"


class HealthCheck(models.Model):
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="health_checks")
    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="health_checks")
    checked_on = models.DateField(_("ngày đo"))
    weight_kg = models.DecimalField(
        _("cân nặng (kg)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(200)],
    )
    systolic = models.PositiveSmallIntegerField(
        _("huyết áp tâm thu"),
        null=True,
        blank=True,
        validators=[MinValueValidator(60), MaxValueValidator(260)],
    )
    diastolic = models.PositiveSmallIntegerField(
        _("huyết áp tâm trương"),
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(160)],
    )
    pulse = models.PositiveSmallIntegerField(
        _("mạch (lần/phút)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(220)],
    )
    note = models.CharField(
        _("ghi chú"), max_length=200, blank=True, validators=[NoFormulaStart(_("Ghi chú"), prose=True)]
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="health_checks"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    history = HistoricalRecords(user_db_constraint=False, table_name="clubs_historicalhealthcheck")

    scope_lookups = ("club__province_id", "club__commune_id")

    class Meta:
        db_table = "clubs_healthcheck"
        verbose_name = _("lần đo sức khỏe")
        verbose_name_plural = _("theo dõi sức khỏe")
        ordering = ["member", "-checked_on", "-id"]
        indexes = [models.Index(fields=["member", "checked_on"]), models.Index(fields=["club", "checked_on"])]

    def __str__(self) -> str:
        return f"{self.member} {self.checked_on:%d/%m/%Y}"


class CareAssignment(models.Model):
    """A volunteer looking after a beneficiary at home, for a period."""

    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="care_assignments")
    volunteer = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="care_given")
    beneficiary = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="care_received")
    from_date = models.DateField(_("từ ngày"))
    to_date = models.DateField(_("đến ngày"), null=True, blank=True)

    scope_lookups = ("club__province_id", "club__commune_id")

    class Meta:
        db_table = "clubs_careassignment"
        verbose_name = _("phân công chăm sóc tại nhà")
        verbose_name_plural = _("phân công chăm sóc tại nhà")
        ordering = ["club", "-from_date"]
        constraints = [
            models.CheckConstraint(
                name="care_assignment_dates_in_order",
                condition=Q(to_date__isnull=True) | Q(to_date__gte=models.F("from_date")),
                violation_error_message=_("Ngày kết thúc phân công không được trước ngày bắt đầu."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.beneficiary}"


class CareTask(models.TextChoices):
    TALK = "talk", _("Trò chuyện")
    MEALS = "meals", _("Nấu ăn")
    CLEANING = "cleaning", _("Dọn dẹp")
    MEDICINE = "medicine", _("Nhắc, mua thuốc")
    PERSONAL_CARE = "personal", _("Vệ sinh cá nhân")
    FARM_WORK = "farm", _("Giúp việc đồng áng")
    OTHER = "other", _("Khác")


class CareVisit(models.Model):
    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="care_visits")
    visited_on = models.DateField(_("ngày thăm"))
    volunteer = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="visits_made")
    beneficiary = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="visits_received"
    )
    tasks = models.JSONField(_("công việc"), default=list)
    note = models.CharField(
        _("ghi chú"), max_length=300, blank=True, validators=[NoFormulaStart(_("Ghi chú"), prose=True)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    scope_lookups = ("club__province_id", "club__commune_id")

    class Meta:
        db_table = "clubs_carevisit"
        verbose_name = _("lần thăm tại nhà")
        verbose_name_plural = _("thăm, chăm sóc tại nhà")
        ordering = ["club", "-visited_on"]
        indexes = [models.Index(fields=["beneficiary", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.visited_on:%d/%m/%Y} {self.volunteer} → {self.beneficiary}"


class Rating(models.TextChoices):
    STRONG = "strong", _("Vững mạnh")
    GOOD = "good", _("Khá")
    AVERAGE = "average", _("Trung bình")
    WEAK = "weak", _("Yếu")


class ClubRating(models.Model):
    """The yearly rating (xếp loại) decided by a province officer or an admin."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("CLB"))
    year = models.PositiveSmallIntegerField(_("năm"))
    rating = models.CharField(_("xếp loại"), max_length=10, choices=Rating.choices)
    rated_on = models.DateField(_("ngày xếp loại"))
    note = models.TextField(_("nhận xét"), blank=True, validators=[NoFormulaStart(_("Nhận xét"), prose=True)])
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    history = HistoricalRecords(user_db_constraint=False, table_name="clubs_historicalclubrating")

    scope_lookups = ("club__province_id", "club__commune_id")

    class Meta:
        db_table = "clubs_clubrating"
        verbose_name = _("xếp loại CLB")
        verbose_name_plural = _("xếp loại CLB")
        ordering = ["club", "-year"]
        constraints = [models.UniqueConstraint(fields=["club", "year"], name="one_rating_per_club_and_year")]

    def __str__(self) -> str:
        return f"{self.club.code} {self.year}: {self.get_rating_display()}"


class MeetingSync(models.Model):
    """A meeting day recorded on a phone without signal and sent later (README "Without signal"). The
    phone names each recorded meeting by a UUID it made; one row per (user, that id) makes the sync
    idempotent: a replay gets the stored result back and records nothing twice."""

    client_id = models.UUIDField(_("mã do điện thoại tạo"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="+", verbose_name=_("CLB"))
    held_on = models.DateField(_("ngày sinh hoạt"))
    activity = models.ForeignKey(Activity, on_delete=models.SET_NULL, null=True, related_name="+")
    result = models.JSONField(default=dict)
    synced_at = models.DateTimeField(_("lúc đồng bộ"), auto_now_add=True)

    class Meta:
        verbose_name = _("buổi sinh hoạt đồng bộ từ điện thoại")
        verbose_name_plural = _("buổi sinh hoạt đồng bộ từ điện thoại")
        constraints = [
            models.UniqueConstraint(fields=["user", "client_id"], name="one_sync_per_phone_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.club_id} {self.held_on:%d/%m/%Y} ({self.client_id})"
