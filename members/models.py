"""Club members: people, their club history and their household status over time."""

import datetime
import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.ethnicity import ETHNIC_GROUPS, KINH
from places.text import NoFormulaStart

citizen_id_validator = RegexValidator(r"^\d{12}$", _("Số CCCD phải gồm đúng 12 chữ số."))


def normalise_phone(text: str | None) -> str:
    """A phone number as people write it ("0912 345 678", "0912.345.678", "+84 912 345 678") in the
    one stored form: digits only, starting with 0. Anything else is returned as typed, for the
    validator to refuse with its message."""
    raw = (text or "").strip()
    digits = re.sub(r"[\s.\-()]", "", raw)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if digits.isdigit() else raw


phone_validator = RegexValidator(
    r"^(0|\+84)(3|5|7|8|9)\d{8}$|^(0|\+84)2\d{9}$",
    _("Số điện thoại không đúng dạng Việt Nam (ví dụ 0912345678 hoặc 02133876543)."),
)


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class Household(models.TextChoices):
    POOR = "poor", _("Hộ nghèo")
    NEAR_POOR = "near_poor", _("Hộ cận nghèo")
    HARDSHIP = "hardship", _("Hoàn cảnh khó khăn")
    NONE = "none", _("Không")


# Poor, near-poor and hardship households together: the ISHC standard wants 60–70% of members from them.
DISADVANTAGED = (Household.POOR, Household.NEAR_POOR, Household.HARDSHIP)


class LeaveReason(models.TextChoices):
    MOVED = "moved", _("Chuyển đi nơi khác")
    TRANSFERRED = "transferred", _("Chuyển sang CLB khác")
    DIED = "died", _("Qua đời")
    WITHDREW = "withdrew", _("Xin rút khỏi CLB")


def older_person_q(on: datetime.date, prefix: str = "") -> Q:
    """Members aged OLDER_PERSON_AGE or more on `on`, for use in database filters.

    With a full birth date the age is exact; with only a birth year a person is counted from
    1 January of the year they reach the age (how registers that hold only the year are read).
    """
    age = settings.OLDER_PERSON_AGE
    try:
        born_by = on.replace(year=on.year - age)
    except ValueError:  # 29 February
        born_by = on.replace(year=on.year - age, day=28)
    return Q(**{f"{prefix}birth_date__lte": born_by}) | Q(
        **{f"{prefix}birth_date__isnull": True, f"{prefix}birth_year__lte": on.year - age}
    )


def health_insured_on_q(on: datetime.date, prefix: str = "") -> Q:
    """Members holding a health insurance card (thẻ BHYT) valid on `on`: a card with no expiry date
    recorded counts as valid; one that expired before `on` does not."""
    return Q(**{f"{prefix}has_health_insurance": True}) & (
        Q(**{f"{prefix}health_insurance_expires_on__isnull": True})
        | Q(**{f"{prefix}health_insurance_expires_on__gte": on})
    )


def active_on_q(on: datetime.date, prefix: str = "") -> Q:
    """Memberships running on `on`: joined on or before it, not yet left (the leave date is the first day out)."""
    return Q(**{f"{prefix}joined_on__lte": on}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on})
    )


class MemberQuerySet(models.QuerySet):
    def active_on(self, on: datetime.date) -> "MemberQuerySet":
        return self.filter(active_on_q(on))

    def older_on(self, on: datetime.date) -> "MemberQuerySet":
        return self.filter(older_person_q(on))


class Member(models.Model):
    """A person in the register. They belong to one club at a time (`club`); `Membership` keeps the history."""

    # No index of its own: the indexes of Meta begin with the club (every write paid for a third one).
    club = models.ForeignKey(
        "clubs.Club", on_delete=models.PROTECT, related_name="members", verbose_name=_("CLB"), db_index=False
    )
    full_name = models.CharField(_("họ và tên"), max_length=120, validators=[NoFormulaStart(_("Họ và tên"))])
    # Lower case, no diacritics: search without diacritics and duplicate checks, on any database.
    # Searched through the trigram index (members 0002), listed in name order through (search_key, id)
    # (members 0003): a plain index on it (two on PostgreSQL, with its LIKE twin) served no query.
    search_key = models.CharField(max_length=120, editable=False)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"))
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    ethnicity = models.PositiveSmallIntegerField(_("dân tộc"), choices=ETHNIC_GROUPS, default=KINH)
    # The status valid today; `HouseholdStatus` keeps every period, and reports use the one valid at their date.
    household = models.CharField(
        _("hoàn cảnh gia đình"), max_length=10, choices=Household.choices, default=Household.NONE
    )
    citizen_id = models.CharField(
        _("số CCCD"), max_length=12, null=True, blank=True, unique=True, validators=[citizen_id_validator]
    )
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True, validators=[phone_validator])
    village = models.CharField(
        _("thôn/tổ dân phố"), max_length=120, blank=True, validators=[NoFormulaStart(_("Thôn/tổ dân phố"))]
    )
    joined_on = models.DateField(_("ngày tham gia"))
    left_on = models.DateField(_("ngày rời CLB"), null=True, blank=True)
    leave_reason = models.CharField(
        _("lý do rời CLB"), max_length=12, choices=LeaveReason.choices, blank=True
    )
    is_volunteer = models.BooleanField(_("tình nguyện viên"), default=False)
    has_health_insurance = models.BooleanField(_("có thẻ BHYT"), default=False)
    health_insurance_expires_on = models.DateField(_("hạn thẻ BHYT"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True, validators=[NoFormulaStart(_("Ghi chú"), prose=True)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The history is read by member (its id): an index on its citizen ids only slowed each write (0.2 s of
    # server time per 60,000 imported members), and one on its clubs would too. Every history record here
    # names its user without a database constraint: an import of 50,000 members as a user wrote 150,000
    # records, each checked against auth_user at commit (0.3–0.4 s); deleting a user still empties the
    # records' user (Django's SET_NULL), and users are deactivated, not deleted.
    history = HistoricalRecords(
        user_db_constraint=False, excluded_fields=["search_key"], no_db_index=["citizen_id", "club"]
    )

    objects = MemberQuerySet.as_manager()
    scope_lookups = ("club__province_id", "club__commune_id")

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")
        ordering = ["club", "search_key", "id"]
        indexes = [
            models.Index(fields=["club", "left_on"]),
            models.Index(fields=["club", "search_key", "birth_year"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="member_leaves_after_joining",
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.birth_year})"

    @property
    def is_active(self) -> bool:
        return self.left_on is None or self.left_on > datetime.date.today()

    def is_active_on(self, on: datetime.date) -> bool:
        return self.joined_on <= on and (self.left_on is None or self.left_on > on)

    def age_on(self, on: datetime.date) -> int:
        """Age in whole years; with only the birth year, the year difference."""
        if self.birth_date:
            return (
                on.year
                - self.birth_date.year
                - ((on.month, on.day) < (self.birth_date.month, self.birth_date.day))
            )
        return on.year - self.birth_year

    def is_older_person(self, on: datetime.date | None = None) -> bool:
        return self.age_on(on or datetime.date.today()) >= settings.OLDER_PERSON_AGE

    @property
    def is_ethnic_minority(self) -> bool:
        return self.ethnicity != KINH


class Membership(models.Model):
    """One stay of a member in a club. Moving to another club closes one and opens the next."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    # No index of its own: (club, joined_on, left_on) below begins with it.
    club = models.ForeignKey("clubs.Club", on_delete=models.PROTECT, related_name="memberships", db_index=False)
    joined_on = models.DateField(_("ngày tham gia"))
    left_on = models.DateField(_("ngày rời CLB"), null=True, blank=True)
    leave_reason = models.CharField(
        _("lý do rời CLB"), max_length=12, choices=LeaveReason.choices, blank=True
    )
    # History records are read by the row's id, and by the member in the member's change panel
    # (clubs.templatetags.audit): the club's index would only slow every write.
    history = HistoricalRecords(user_db_constraint=False, no_db_index=["club"])

    scope_lookups = ("club__province_id", "club__commune_id")

    class Meta:
        verbose_name = _("quá trình sinh hoạt")
        verbose_name_plural = _("quá trình sinh hoạt")
        ordering = ["member", "joined_on"]
        indexes = [models.Index(fields=["club", "joined_on", "left_on"])]
        constraints = [
            models.CheckConstraint(
                name="membership_leaves_after_joining",
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
            ),
            models.UniqueConstraint(
                fields=["member"], condition=Q(left_on__isnull=True), name="one_open_membership"
            ),
        ]

    def __str__(self) -> str:
        # Only the row's own fields: the history panel prints its records' copies of the row.
        left = f"{self.left_on:%d/%m/%Y}" if self.left_on else ""
        return f"{self.joined_on:%d/%m/%Y}–{left}"


class HouseholdStatus(models.Model):
    """A member's household status for a period. Periods of one member do not overlap."""

    # No index of its own: the indexes on (member, valid_from…) below serve it.
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="household_statuses", db_index=False
    )
    status = models.CharField(_("hoàn cảnh gia đình"), max_length=10, choices=Household.choices)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    standard_period = models.CharField(
        _("giai đoạn chuẩn nghèo"),
        max_length=20,
        blank=True,
        help_text=_("Ví dụ: 2022–2025"),
        validators=[NoFormulaStart(_("Giai đoạn chuẩn nghèo"))],
    )
    note = models.CharField(
        _("ghi chú"), max_length=200, blank=True, validators=[NoFormulaStart(_("Ghi chú"), prose=True)]
    )
    history = HistoricalRecords(user_db_constraint=False)

    scope_lookups = ("member__club__province_id", "member__club__commune_id")

    class Meta:
        verbose_name = _("hoàn cảnh gia đình theo thời kỳ")
        verbose_name_plural = _("hoàn cảnh gia đình theo thời kỳ")
        ordering = ["member", "valid_from"]
        indexes = [models.Index(fields=["member", "valid_from", "valid_to"])]
        constraints = [
            models.CheckConstraint(
                name="household_status_period_in_order",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
            ),
            models.UniqueConstraint(fields=["member", "valid_from"], name="one_household_status_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.valid_from:%d/%m/%Y}–)"


def household_valid_on_q(on: datetime.date, prefix: str = "") -> Q:
    """Household status periods valid on `on` (`prefix` reaches them, e.g. "member__household_statuses__").

    The one definition of "the status on a date": periods do not overlap, so at most one row matches."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def household_on_q(on: datetime.date, statuses, prefix: str = "") -> Q:
    """Members whose household status valid on `on` is one of `statuses` (a status row must exist)."""
    rows = f"{prefix}household_statuses__"
    return Q(**{f"{rows}status__in": list(statuses)}) & household_valid_on_q(on, rows)
