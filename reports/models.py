"""Plans (Đề án) with their targets, and the reports a province has submitted."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from places.text import NoFormulaStart
from reports.catalogue import AREA_GROUPS, BY_CODE


class Plan(models.Model):
    """A replication plan approved by a decision: national (no province) or a province's."""

    province = models.ForeignKey(
        "places.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("tỉnh (để trống: toàn quốc)"),
    )
    name = models.CharField(_("tên đề án"), max_length=300, validators=[NoFormulaStart(_("Tên đề án"))])
    decision_number = models.CharField(
        _("số quyết định"), max_length=50, blank=True, validators=[NoFormulaStart(_("Số quyết định"))]
    )
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_issuer = models.CharField(
        _("cơ quan ban hành"), max_length=200, blank=True, validators=[NoFormulaStart(_("Cơ quan ban hành"))]
    )
    start = models.DateField(_("bắt đầu"))
    end = models.DateField(_("kết thúc"))
    is_demo = models.BooleanField(
        _("dữ liệu minh họa"), default=False, help_text=_("Đề án dựng để chạy thử, không phải văn bản thật.")
    )
    notes = models.TextField(_("ghi chú"), blank=True, validators=[NoFormulaStart(_("Ghi chú"), prose=True)])
    history = HistoricalRecords(user_db_constraint=False)

    scope_lookups = ("province_id", None)

    class Meta:
        verbose_name = _("đề án")
        verbose_name_plural = _("đề án")
        ordering = ["province__code", "-end", "name"]

    def __str__(self) -> str:
        if self.decision_number:
            return f"{self.name} ({self.decision_number})"
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Ngày kết thúc không được trước ngày bắt đầu.")})

    @property
    def is_national(self) -> bool:
        return self.province_id is None

    def runs_on(self, on: datetime.date) -> bool:
        return self.start <= on <= self.end


class Comparison(models.TextChoices):
    AT_LEAST = "at_least", _("ít nhất")
    AT_MOST = "at_most", _("nhiều nhất")
    BETWEEN = "between", _("trong khoảng")


class TargetArea(models.TextChoices):
    PLAINS = "plains", _("Xã, phường vùng đồng bằng")
    REMOTE = "remote", _("Xã miền núi, biên giới, hải đảo")
    MOUNTAIN = "mountain", _("Xã miền núi")
    BORDER = "border", _("Xã biên giới")
    ISLAND = "island", _("Xã, đặc khu hải đảo")


assert set(TargetArea.values) == set(AREA_GROUPS)  # the two lists name the same groups


class Target(models.Model):
    """One target of a plan: an indicator compared with a value, by the plan's end or by a milestone year."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("đề án"))
    # A code of the indicator catalogue (validated in clean(), so the catalogue can grow without migrations).
    indicator = models.CharField(_("chỉ tiêu"), max_length=60)
    comparison = models.CharField(
        _("so sánh"), max_length=10, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    value = models.DecimalField(_("giá trị"), max_digits=16, decimal_places=2)
    value_max = models.DecimalField(
        _("giá trị tối đa"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(
        _("mốc năm"), null=True, blank=True, help_text=_("Để trống: đến khi kết thúc đề án.")
    )
    area_class = models.CharField(
        _("địa bàn"),
        max_length=10,
        choices=TargetArea.choices,
        blank=True,
        help_text=_("Để trống: toàn bộ địa bàn của đề án."),
    )
    note = models.CharField(
        _("ghi chú"), max_length=300, blank=True, validators=[NoFormulaStart(_("Ghi chú"), prose=True)]
    )
    history = HistoricalRecords(user_db_constraint=False)

    scope_lookups = ("plan__province_id", None)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["plan", "year", "id"]
        constraints = [
            models.CheckConstraint(
                name="target_between_has_both_values",
                condition=~Q(comparison="between")
                | Q(value_max__isnull=False, value_max__gte=models.F("value")),
            )
        ]

    def __str__(self) -> str:
        indicator = BY_CODE.get(self.indicator)
        return f"{indicator.name_vi if indicator else self.indicator} {self.get_comparison_display()} {self.value}"

    def clean(self) -> None:
        errors = {}
        if self.indicator not in BY_CODE:
            errors["indicator"] = _("Chỉ tiêu không có trong danh mục.")
        if self.comparison == Comparison.BETWEEN:
            if self.value_max is None:
                errors["value_max"] = _("Chỉ tiêu 'trong khoảng' cần cả giá trị tối đa.")
            elif self.value is not None and self.value_max < self.value:
                errors["value_max"] = _("Giá trị tối đa không được nhỏ hơn giá trị tối thiểu.")
        elif self.value_max is not None:
            errors["value_max"] = _("Chỉ nhập giá trị tối đa cho chỉ tiêu 'trong khoảng'.")
        if self.year and self.plan_id and not (self.plan.start.year <= self.year <= self.plan.end.year):
            errors["year"] = _("Mốc năm phải nằm trong thời gian của đề án.")
        if errors:
            raise ValidationError(errors)

    @property
    def deadline(self) -> datetime.date:
        if self.year:
            return min(datetime.date(self.year, 12, 31), self.plan.end)
        return self.plan.end


def submitted_report_path(instance: "SubmittedReport", filename: str) -> str:
    place = instance.province.code if instance.province_id else "national"
    return f"reports/submitted/{place}/{instance.as_of:%Y-%m-%d}-{filename}"


class SubmittedReport(models.Model):
    """A report as it was sent: frozen figures and PDF, so later corrections do not change it."""

    province = models.ForeignKey(
        "places.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_reports",
        verbose_name=_("tỉnh (để trống: toàn quốc)"),
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("đề án")
    )
    as_of = models.DateField(_("số liệu đến ngày"))
    period_start = models.DateField(_("kỳ báo cáo từ ngày"))
    period_end = models.DateField(_("kỳ báo cáo đến ngày"))
    figures = models.JSONField(_("số liệu"))
    pdf = models.FileField(_("tệp PDF"), upload_to=submitted_report_path)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người gửi")
    )
    submitted_at = models.DateTimeField(_("thời điểm gửi"), auto_now_add=True)
    note = models.CharField(
        _("ghi chú"), max_length=300, blank=True, validators=[NoFormulaStart(_("Ghi chú"), prose=True)]
    )

    scope_lookups = ("province_id", None)

    class Meta:
        verbose_name = _("báo cáo đã gửi")
        verbose_name_plural = _("báo cáo đã gửi")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        place = self.province or _("Toàn quốc")
        return f"{place} – {self.as_of:%d/%m/%Y}"


class ClubChange(models.Model):
    """The latest change to anything a club's report figures are computed from.

    Written by database triggers (migration 0002), never by the code: every insert, update or delete
    of a club, its memberships and members, their household statuses, its board, activities, ratings,
    funds, ledger entries, loans, instalments and repayments gives the club a new `version` from one
    sequence. A club that never changed has no row (version 0).
    """

    # No foreign key in the database: a trigger writes these rows while a club's related rows are being
    # deleted, before the club itself goes (the trigger on clubs_club then removes the row).
    club = models.OneToOneField(
        "clubs.Club",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="report_change",
    )
    version = models.BigIntegerField()

    class Meta:
        verbose_name = _("thay đổi số liệu CLB")
        verbose_name_plural = _("thay đổi số liệu CLB")

    def __str__(self) -> str:
        return f"{self.club_id}: {self.version}"


class ClubFigures(models.Model):
    """A club's report figures for one date and period, kept while the club does not change.

    `version` is the club's ClubChange version read before the figures were computed; the row is
    used only while the two are equal (reports.club_figures).
    """

    club = models.ForeignKey("clubs.Club", on_delete=models.CASCADE, related_name="report_figures")
    key = models.CharField(max_length=100)
    version = models.BigIntegerField()
    # The row as JSON text, written and read as it is: never queried inside, so jsonb would only cost
    # a parse per row on every write and a serialisation per row on every read (reports.club_figures).
    figures = models.TextField()
    computed_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("số liệu CLB đã tính")
        verbose_name_plural = _("số liệu CLB đã tính")
        constraints = [models.UniqueConstraint(fields=["key", "club"], name="club_figures_key_club")]

    def __str__(self) -> str:
        return f"{self.club_id}: {self.key}"


class ProvinceFigures(models.Model):
    """The sums of a province's kept club figures for one date and period (a national report's rows),
    kept while the set of the province's clubs, their versions and the composition standards stay the
    same: `stamp` is their digest when the sums were computed (reports.club_figures.province_sums_many).
    """

    province = models.ForeignKey(
        "places.Province", on_delete=models.CASCADE, related_name="report_figures", db_index=False
    )
    key = models.CharField(max_length=120)
    stamp = models.CharField(max_length=80)
    # The sums as JSON text, written and read whole (as ClubFigures.figures).
    figures = models.TextField()
    computed_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("số liệu tỉnh đã tính")
        verbose_name_plural = _("số liệu tỉnh đã tính")
        constraints = [models.UniqueConstraint(fields=["key", "province"], name="province_figures_key_province")]

    def __str__(self) -> str:
        return f"{self.province_id}: {self.key}"


class ClubFacts(models.Model):
    """Whether a club's MembershipFact, HouseholdFact and BorrowingFact rows are current: `version` is the club's
    ClubChange version read before they were written (reports.member_facts), `digest` that of the code
    that wrote them. A club without this row, or whose row is behind, has its facts written again."""

    # No foreign key in the database (as ClubChange): bulk deleters remove clubs with their own SQL; the
    # rows of clubs gone are removed by member_facts.forget_gone.
    club = models.OneToOneField(
        "clubs.Club", on_delete=models.DO_NOTHING, db_constraint=False, primary_key=True, related_name="+"
    )
    version = models.BigIntegerField()
    digest = models.CharField(max_length=12)

    class Meta:
        verbose_name = _("dữ kiện hội viên của CLB")
        verbose_name_plural = _("dữ kiện hội viên của CLB")

    def __str__(self) -> str:
        return f"{self.club_id}: {self.version}"


class MembershipFact(models.Model):
    """A membership with what the reports count of its member, copied beside it (reports.member_facts):
    one row per membership. Each date-bound property is the first or last day it holds, so a report at
    any date counts these rows alone, without joining the members."""

    # No foreign keys in the database: the rows are written in bulk from the register and replaced
    # whole per club (ClubFacts). A club's rows are all and only those its last write made.
    club = models.ForeignKey(
        "clubs.Club", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    member_id = models.BigIntegerField()
    joined_on = models.DateField()
    left_on = models.DateField(null=True)
    woman = models.BooleanField()
    minority = models.BooleanField()
    volunteer = models.BooleanField()
    # The first day the member counts as an older person (None: no birth date or year).
    older_from = models.DateField(null=True)
    # The last day of a valid health insurance card (9999-12-31: no expiry; None: no card).
    insured_to = models.DateField(null=True)
    # The member's first membership of the club (none of theirs began earlier; of two begun the same day in
    # the same club, the one of the lower id): joining, not moving.
    first = models.BooleanField()

    class Meta:
        verbose_name = _("dữ kiện tư cách hội viên")
        verbose_name_plural = _("dữ kiện tư cách hội viên")
        # A club's rows (written, counted), and a member's in it: the borrowers are found by club and member
        # (member_facts.borrowers), one row each for a province's lenders in the country's facts.
        indexes = [models.Index(fields=["club", "member_id"], name="membership_fact_club_member")]

    def __str__(self) -> str:
        return f"{self.club_id}: {self.member_id}"


class HouseholdFact(models.Model):
    """A member's household status over the days it held while they were in the club: the status
    period cut to the membership (reports.member_facts). `ends_on` is the last day (None: open)."""

    club = models.ForeignKey(
        "clubs.Club", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    member_id = models.BigIntegerField()
    status = models.CharField(max_length=20)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True)
    older_from = models.DateField(null=True)

    class Meta:
        verbose_name = _("dữ kiện hoàn cảnh hộ")
        verbose_name_plural = _("dữ kiện hoàn cảnh hộ")
        indexes = [models.Index(fields=["club", "member_id"], name="household_fact_club_member")]

    def __str__(self) -> str:
        return f"{self.club_id}: {self.status}"


class BorrowingFact(models.Model):
    """The days a member held a loan of the club open while a member of it (`poor`: False), and while of
    a poor or near-poor household there too (`poor`: True): a loan's open days cut to each membership
    fact, or to each poor or near-poor household fact, of its borrower in the club (reports.member_facts).
    `ends_on` is the last day (None: open). A club's borrowers on a date are the members of its rows
    running then, counted once."""

    club = models.ForeignKey(
        "clubs.Club", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    member_id = models.BigIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField(null=True)
    poor = models.BooleanField()

    class Meta:
        verbose_name = _("dữ kiện người vay")
        verbose_name_plural = _("dữ kiện người vay")
        indexes = [models.Index(fields=["club", "starts_on"], name="borrowing_fact_club_start")]

    def __str__(self) -> str:
        return f"{self.club_id}: {self.member_id}"


class CycleStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Đã nộp")
    RETURNED = "returned", _("Trả lại")
    APPROVED = "approved", _("Đã duyệt")


class CycleLevel(models.TextChoices):
    COMMUNE = "commune", _("Xã, phường")
    PROVINCE = "province", _("Tỉnh, thành phố")


def cycle_report_path(instance: "CycleReport", filename: str) -> str:
    place = instance.commune.code if instance.commune_id else instance.province.code
    return f"reports/cycle/{instance.level}/{place}/{instance.period}-{filename}"


class CycleReport(models.Model):
    """A commune's report to its province, or a province's to the national level, for one named period
    (reports/periods.py). Submitting freezes the figures and the PDF; the level above approves it (a
    commune's approval locks its period: clubs.locks) or returns it with a reason. Every change is in
    the history. No row: not started."""

    level = models.CharField(_("cấp"), max_length=10, choices=CycleLevel.choices)
    province = models.ForeignKey(
        "places.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh")
    )
    commune = models.ForeignKey(
        "places.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã/phường"),
    )
    period = models.CharField(_("kỳ báo cáo"), max_length=10)  # 2026-H1, 2026, 2026-Q3
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=CycleStatus.choices)
    figures = models.JSONField(_("số liệu"))
    # A province's compiled report: the communes whose reports were not approved when it was sent.
    missing = models.JSONField(_("xã chưa có báo cáo được duyệt"), default=list, blank=True)
    pdf = models.FileField(_("tệp PDF"), upload_to=cycle_report_path)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người nộp")
    )
    submitted_at = models.DateTimeField(_("nộp lúc"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    reviewed_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    return_reason = models.TextField(
        _("lý do trả lại"), blank=True, validators=[NoFormulaStart(_("Lý do trả lại"), prose=True)]
    )
    lock = models.ForeignKey(
        "clubs.PeriodLock",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kỳ đã khoá"),
    )
    history = HistoricalRecords(user_db_constraint=False)

    scope_lookups = ("province_id", "commune_id")

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        ordering = ["-period_end", "province__code", "commune__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "period"], condition=Q(level="commune"), name="cycle_one_per_commune_period"
            ),
            models.UniqueConstraint(
                fields=["province", "period"], condition=Q(level="province"), name="cycle_one_per_province_period"
            ),
            models.CheckConstraint(
                name="cycle_commune_matches_level",
                condition=Q(level="commune", commune__isnull=False) | Q(level="province", commune__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commune or self.province} – {self.period}"
