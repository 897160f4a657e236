"""Who may work where, and the clubs: their founding, status, board, teams and the composition standard.

The places they are in (provinces, communes, legacy units) are the places app's."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from places.models import Commune, LegacyCommune, Province
from places.text import NoFormulaStart

# ---------------------------------------------------------------------------
# Who may work where.
# ---------------------------------------------------------------------------


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    PROVINCE_OFFICER = "province_officer", _("Cán bộ Hội NCT tỉnh")
    COMMUNE_STAFF = "commune_staff", _("Cán bộ Hội NCT xã")
    # Trung ương Hội: reads every province, approves the provinces' reports; edits and imports nothing.
    NATIONAL = "national", _("Cán bộ Trung ương Hội")


class Assignment(models.Model):
    """One role a user holds in one place. A user may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("tỉnh")
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã/phường"),
    )

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [
            models.CheckConstraint(
                name="assignment_place_matches_role",
                condition=(
                    models.Q(role="admin", province__isnull=True, commune__isnull=True)
                    | models.Q(role="province_officer", province__isnull=False, commune__isnull=True)
                    | models.Q(role="commune_staff", province__isnull=True, commune__isnull=False)
                    | models.Q(role="national", province__isnull=True, commune__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        place = self.commune or self.province or ""
        return f"{self.user} – {self.get_role_display()} {place}".strip()


# ---------------------------------------------------------------------------
# Clubs.
# ---------------------------------------------------------------------------


class ClubStatus(models.TextChoices):
    DECIDED = "decided", _("Đã có quyết định, chưa ra mắt")
    ACTIVE = "active", _("Đang hoạt động")
    SUSPENDED = "suspended", _("Tạm ngừng")
    DISSOLVED = "dissolved", _("Đã giải thể")


# ---------------------------------------------------------------------------
# A club's status at a date, as filters: the one definition, used by ClubQuerySet below, by the report
# aggregates (inside aggregates and behind a join: `prefix`) and mirrored by Club.status_on for one club.
# ---------------------------------------------------------------------------


def existing_q(on: datetime.date, prefix: str = "") -> Q:
    """Decided or launched by `on` and not dissolved."""
    p = prefix
    return (Q(**{f"{p}decision_date__lte": on}) | Q(**{f"{p}launched_on__lte": on})) & (
        Q(**{f"{p}dissolved_on__isnull": True}) | Q(**{f"{p}dissolved_on__gt": on})
    )


def active_q(on: datetime.date, prefix: str = "") -> Q:
    """Launched by `on`, neither dissolved nor suspended (unless resumed) on that day."""
    p = prefix
    not_suspended = (
        Q(**{f"{p}suspended_on__isnull": True})
        | Q(**{f"{p}suspended_on__gt": on})
        | Q(**{f"{p}resumed_on__lte": on})
    )
    not_dissolved = Q(**{f"{p}dissolved_on__isnull": True}) | Q(**{f"{p}dissolved_on__gt": on})
    return Q(**{f"{p}launched_on__lte": on}) & not_dissolved & not_suspended


def not_launched_q(on: datetime.date, prefix: str = "") -> Q:
    """Existing on `on` (a founding decision) but not launched yet."""
    p = prefix
    return existing_q(on, p) & (Q(**{f"{p}launched_on__isnull": True}) | Q(**{f"{p}launched_on__gt": on}))


def founded_in_q(start: datetime.date, end: datetime.date, prefix: str = "") -> Q:
    """Founded (decision, or launch when there is no decision) between `start` and `end`, both included."""
    p, span = prefix, (start, end)
    return Q(**{f"{p}decision_date__range": span}) | Q(
        **{f"{p}decision_date__isnull": True, f"{p}launched_on__range": span}
    )


class ClubQuerySet(models.QuerySet):
    """Status filters at any date. A club's status is derived from its dated events."""

    def existing_on(self, on: datetime.date) -> "ClubQuerySet":
        """Decided or launched by `on` and not dissolved: the clubs a report counts."""
        return self.filter(existing_q(on))

    def active_on(self, on: datetime.date) -> "ClubQuerySet":
        return self.filter(active_q(on))

    def not_launched_on(self, on: datetime.date) -> "ClubQuerySet":
        return self.filter(not_launched_q(on))

    def with_status(self, status: str, on: datetime.date) -> "ClubQuerySet":
        if status == ClubStatus.DECIDED:
            return self.not_launched_on(on)
        if status == ClubStatus.ACTIVE:
            return self.active_on(on)
        if status == ClubStatus.DISSOLVED:
            return self.filter(dissolved_on__lte=on)
        return (
            self.exclude(dissolved_on__lte=on)
            .filter(suspended_on__lte=on)
            .filter(Q(resumed_on__isnull=True) | Q(resumed_on__gt=on))
        )


class Club(models.Model):
    code = models.CharField(
        _("mã CLB"),
        max_length=30,
        unique=True,
        help_text=_("Mã ổn định, dùng khi nhập dữ liệu từ bảng tính."),
        validators=[NoFormulaStart(_("Mã CLB"))],
    )
    name = models.CharField(_("tên CLB"), max_length=200, validators=[NoFormulaStart(_("Tên CLB"))])
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="clubs", verbose_name=_("tỉnh")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="clubs", verbose_name=_("xã/phường")
    )
    villages = models.CharField(
        _("thôn/tổ dân phố"),
        max_length=500,
        blank=True,
        help_text=_("Các thôn, bản, tổ dân phố CLB bao phủ."),
        validators=[NoFormulaStart(_("Thôn/tổ dân phố"))],
    )
    # As written in the founding papers, for clubs founded before July 2025.
    legacy_commune = models.ForeignKey(
        LegacyCommune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clubs",
        verbose_name=_("xã cũ (theo quyết định thành lập)"),
    )
    legacy_address = models.CharField(
        _("địa chỉ cũ như ghi trong quyết định"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: xã Mường Khoa, huyện Tân Uyên"),
        validators=[NoFormulaStart(_("Địa chỉ cũ"))],
    )
    decision_number = models.CharField(
        _("số quyết định thành lập"),
        max_length=50,
        blank=True,
        validators=[NoFormulaStart(_("Số quyết định"))],
    )
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_issuer = models.CharField(
        _("cơ quan ban hành"), max_length=200, blank=True, validators=[NoFormulaStart(_("Cơ quan ban hành"))]
    )
    launched_on = models.DateField(_("ngày ra mắt"), null=True, blank=True)
    suspended_on = models.DateField(_("ngày tạm ngừng"), null=True, blank=True)
    resumed_on = models.DateField(_("ngày hoạt động trở lại"), null=True, blank=True)
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True, validators=[NoFormulaStart(_("Ghi chú"), prose=True)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(user_db_constraint=False)

    objects = ClubQuerySet.as_manager()
    scope_lookups = ("province_id", "commune_id")

    class Meta:
        verbose_name = _("câu lạc bộ")
        verbose_name_plural = _("câu lạc bộ")
        ordering = ["code"]
        indexes = [models.Index(fields=["province", "commune"])]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self) -> None:
        """The founding steps happen in order: decision, launch, then suspension or dissolution."""
        errors = {}
        if self.launched_on and self.decision_date and self.launched_on < self.decision_date:
            errors["launched_on"] = _("Ngày ra mắt không được trước ngày quyết định thành lập.")
        start = self.launched_on or self.decision_date
        for field, event in (("suspended_on", _("tạm ngừng")), ("dissolved_on", _("giải thể"))):
            value = getattr(self, field)
            if value and start and value < start:
                errors[field] = _("Ngày %(event)s không được trước ngày thành lập/ra mắt.") % {"event": event}
        if self.resumed_on and not self.suspended_on:
            errors["resumed_on"] = _("Chỉ ghi ngày hoạt động trở lại khi CLB đã tạm ngừng.")
        elif self.resumed_on and self.resumed_on < self.suspended_on:
            errors["resumed_on"] = _("Ngày hoạt động trở lại không được trước ngày tạm ngừng.")
        if not (self.decision_date or self.launched_on):
            errors["decision_date"] = _("Hãy nhập ngày quyết định thành lập hoặc ngày ra mắt.")
        if self.commune_id and self.province_id and self.commune.province_id != self.province_id:
            errors["commune"] = _("Xã/phường không thuộc tỉnh đã chọn.")
        if errors:
            raise ValidationError(errors)

    def status_on(self, on: datetime.date) -> str | None:
        """The club's status on a date, or None when it did not exist yet."""
        if self.dissolved_on and self.dissolved_on <= on:
            return ClubStatus.DISSOLVED
        if self.suspended_on and self.suspended_on <= on and not (self.resumed_on and self.resumed_on <= on):
            return ClubStatus.SUSPENDED
        if self.launched_on and self.launched_on <= on:
            return ClubStatus.ACTIVE
        if self.decision_date and self.decision_date <= on:
            return ClubStatus.DECIDED
        return None

    @property
    def status(self) -> str | None:
        return self.status_on(datetime.date.today())

    def get_status_display(self) -> str:
        status = self.status
        return ClubStatus(status).label if status else _("Chưa có quyết định")


class CompositionStandard(models.Model):
    """The ISHC composition standard. One national row; a province may set its own."""

    province = models.OneToOneField(
        Province,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="composition_standard",
        verbose_name=_("tỉnh (để trống: toàn quốc)"),
    )
    members_min = models.PositiveSmallIntegerField(_("số thành viên tối thiểu"), default=50)
    members_max = models.PositiveSmallIntegerField(_("số thành viên tối đa"), default=70)
    women_pct_min = models.PositiveSmallIntegerField(_("% nữ tối thiểu"), default=60)
    women_pct_max = models.PositiveSmallIntegerField(_("% nữ tối đa"), default=70)
    older_pct_min = models.PositiveSmallIntegerField(_("% người cao tuổi tối thiểu"), default=60)
    older_pct_max = models.PositiveSmallIntegerField(_("% người cao tuổi tối đa"), default=70)
    younger_pct_min = models.PositiveSmallIntegerField(_("% người trẻ tuổi tối thiểu"), default=30)
    younger_pct_max = models.PositiveSmallIntegerField(_("% người trẻ tuổi tối đa"), default=40)
    poor_pct_min = models.PositiveSmallIntegerField(_("% nghèo, cận nghèo, khó khăn tối thiểu"), default=60)
    poor_pct_max = models.PositiveSmallIntegerField(_("% nghèo, cận nghèo, khó khăn tối đa"), default=70)
    volunteers_min = models.PositiveSmallIntegerField(_("số tình nguyện viên tối thiểu"), default=5)

    class Meta:
        verbose_name = _("tiêu chuẩn cơ cấu CLB")
        verbose_name_plural = _("tiêu chuẩn cơ cấu CLB")
        constraints = [
            models.UniqueConstraint(
                fields=["province"],
                condition=Q(province__isnull=True),
                name="one_national_composition_standard",
            )
        ]

    def __str__(self) -> str:
        return str(self.province or _("Toàn quốc"))

    @classmethod
    def for_province(cls, province_id: int | None) -> "CompositionStandard":
        """The province's own standard, else the national one, else the defaults (unsaved)."""
        rows = {
            row.province_id: row
            for row in cls.objects.filter(Q(province_id=province_id) | Q(province__isnull=True))
        }
        return rows.get(province_id) or rows.get(None) or cls()


class BoardRole(models.TextChoices):
    CHAIR = "chair", _("Chủ nhiệm")
    VICE_CHAIR = "vice_chair", _("Phó chủ nhiệm")
    TREASURER = "treasurer", _("Thủ quỹ")
    ACCOUNTANT = "accountant", _("Kế toán")
    SECRETARY = "secretary", _("Thư ký")
    MEMBER = "member", _("Ủy viên")


class BoardMembership(models.Model):
    """A seat on the management board (Ban Chủ nhiệm), with dates so the board's history is kept."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="board", verbose_name=_("CLB"))
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="board_seats", verbose_name=_("thành viên")
    )
    role = models.CharField(_("chức vụ"), max_length=20, choices=BoardRole.choices)
    from_date = models.DateField(_("từ ngày"))
    to_date = models.DateField(_("đến ngày"), null=True, blank=True)
    history = HistoricalRecords(user_db_constraint=False)

    scope_lookups = ("club__province_id", "club__commune_id")

    class Meta:
        verbose_name = _("thành viên Ban Chủ nhiệm")
        verbose_name_plural = _("Ban Chủ nhiệm")
        ordering = ["club", "to_date", "role"]
        constraints = [
            models.CheckConstraint(
                name="board_seat_dates_in_order",
                condition=Q(to_date__isnull=True) | Q(to_date__gte=models.F("from_date")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.member}"

    def is_current_on(self, on: datetime.date) -> bool:
        return self.from_date <= on and (self.to_date is None or self.to_date >= on)


class TeamKind(models.TextChoices):
    TEAM = "team", _("Tổ chuyên môn")
    GROUP = "group", _("Nhóm")


class ActivityArea(models.IntegerChoices):
    """The 8 activity areas (8 mảng hoạt động chính)."""

    LIVELIHOOD = 1, _("Tăng thu nhập, sinh kế")
    HEALTH = 2, _("Chăm sóc sức khỏe")
    HOME_CARE = 3, _("Chăm sóc tại nhà dựa vào tình nguyện viên")
    SELF_HELP = 4, _("Tự giúp nhau và hỗ trợ cộng đồng")
    RIGHTS = 5, _("Bảo vệ quyền, lợi ích")
    LEARNING = 6, _("Nâng cao nhận thức, học tập suốt đời")
    CULTURE = 7, _("Văn hóa, văn nghệ, thể thao, thăm hỏi")
    RESOURCES = 8, _("Huy động nguồn lực")


class Team(models.Model):
    """A specialised team (tổ chuyên môn, one per activity area) or a neighbourhood group (nhóm)."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="teams", verbose_name=_("CLB"))
    kind = models.CharField(_("loại"), max_length=10, choices=TeamKind.choices)
    name = models.CharField(_("tên"), max_length=120, validators=[NoFormulaStart(_("Tên tổ/nhóm"))])
    area = models.PositiveSmallIntegerField(
        _("mảng hoạt động"), choices=ActivityArea.choices, null=True, blank=True
    )
    leader = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tổ/nhóm trưởng"),
    )
    members = models.ManyToManyField(
        "members.Member", related_name="teams", blank=True, verbose_name=_("thành viên")
    )

    scope_lookups = ("club__province_id", "club__commune_id")

    class Meta:
        verbose_name = _("tổ/nhóm")
        verbose_name_plural = _("tổ/nhóm")
        ordering = ["club", "kind", "name"]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------
# Approved reporting periods: once the province approves a commune's report for a period, nothing
# dated inside it may change for that commune (clubs/locks.py says how writes are checked).
# ---------------------------------------------------------------------------


class PeriodLock(models.Model):
    """A commune's reporting period, closed by an approval; reopened (with a reason) by the province."""

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="+", verbose_name=_("xã/phường")
    )
    label = models.CharField(_("kỳ báo cáo"), max_length=40)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người duyệt")
    )
    approved_at = models.DateTimeField(_("duyệt lúc"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người mở lại"),
    )
    reopened_at = models.DateTimeField(_("mở lại lúc"), null=True, blank=True)
    reopen_reason = models.TextField(
        _("lý do mở lại"), blank=True, validators=[NoFormulaStart(_("Lý do mở lại"), prose=True)]
    )

    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = _("kỳ đã khoá")
        verbose_name_plural = _("kỳ đã khoá")
        ordering = ["commune", "starts_on"]
        indexes = [models.Index(fields=["commune", "ends_on", "starts_on"], name="periodlock_commune_dates")]
        constraints = [
            models.CheckConstraint(
                name="periodlock_dates_in_order", condition=Q(starts_on__lte=F("ends_on"))
            ),
            models.CheckConstraint(
                name="periodlock_reopen_has_reason",
                condition=Q(reopened_at__isnull=True) | ~Q(reopen_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commune} – {self.label}"

    @property
    def is_active(self) -> bool:
        return self.reopened_at is None


# ---------------------------------------------------------------------------
# People in the hierarchy (clubs/accounts.py): who gave whom which role, and whose password was set by
# someone else (they choose their own at their next login).
# ---------------------------------------------------------------------------


class AccountAction(models.TextChoices):
    CREATED = "created", _("Tạo tài khoản")
    ROLE_CHANGED = "role_changed", _("Đổi vai trò, địa bàn")
    DEACTIVATED = "deactivated", _("Khóa tài khoản")
    REACTIVATED = "reactivated", _("Mở lại tài khoản")
    PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu")
    PASSWORD_CHANGED = "password_changed", _("Tự đổi mật khẩu")


class AccountEvent(models.Model):
    """One change to a person's account: who did it, to whom, what, when. Never edited or deleted."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="account_events",
        verbose_name=_("tài khoản"),
    )
    # None: done outside the pages' sign-in (the command line).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    action = models.CharField(_("việc"), max_length=20, choices=AccountAction.choices)
    # The role given (creating, changing the role); blank for the other actions.
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, blank=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tỉnh")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("xã/phường")
    )
    # The roles held before a role change, as they read then.
    previous = models.CharField(_("trước đó"), max_length=500, blank=True)
    at = models.DateTimeField(_("lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("nhật ký tài khoản")
        verbose_name_plural = _("nhật ký tài khoản")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"], name="accountevent_person_at")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()}: {self.person}"

    @property
    def place(self) -> "Commune | Province | None":
        return self.commune or self.province


class PasswordChangeDue(models.Model):
    """The password was set by someone else: the person must choose their own before anything else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="password_change_due"
    )
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mật khẩu cần đổi")
        verbose_name_plural = _("mật khẩu cần đổi")

    def __str__(self) -> str:
        return str(self.user)
