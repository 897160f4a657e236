"""Club funds as ledgers, and the loans of the income-generation fund.

Money is an integer number of đồng. The ledger is never edited in place: a mistake is put
right by a reversing entry. Loan principal moves through `Loan` and `Repayment`; the rest of
the money (contributions, interest, expenses, transfers, write-offs) through `FundEntry`, so that
at every date:  capital = Σ signed ledger entries = cash on hand + outstanding principal.
"""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from places.text import NoFormulaStart


class FundKind(models.TextChoices):
    INCOME = "income", _("Quỹ tăng thu nhập")
    ACTIVITY = "activity", _("Quỹ hoạt động")


class Fund(models.Model):
    club = models.ForeignKey(
        "clubs.Club", on_delete=models.PROTECT, related_name="funds", verbose_name=_("CLB")
    )
    kind = models.CharField(_("loại quỹ"), max_length=10, choices=FundKind.choices)
    opened_on = models.DateField(_("ngày lập quỹ"), null=True, blank=True)

    scope_lookups = ("club__province_id", "club__commune_id")

    class Meta:
        verbose_name = _("quỹ")
        verbose_name_plural = _("quỹ")
        ordering = ["club", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["club", "kind"], name="one_fund_of_each_kind_per_club")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.club.code}"


class EntryKind(models.TextChoices):
    CONTRIBUTION = "contribution", _("Đóng góp, hỗ trợ")
    INTEREST = "interest", _("Thu lãi cho vay")
    EXPENSE = "expense", _("Chi hoạt động")
    TRANSFER_IN = "transfer_in", _("Nhận chuyển từ quỹ khác")
    TRANSFER_OUT = "transfer_out", _("Chuyển sang quỹ khác")
    WRITE_OFF = "write_off", _("Xóa nợ khó đòi")
    CORRECTION = "correction", _("Bút toán điều chỉnh (đảo)")


# Which way each kind moves the fund's capital. A correction takes the opposite of what it reverses.
ENTRY_DIRECTION = {
    EntryKind.CONTRIBUTION: 1,
    EntryKind.INTEREST: 1,
    EntryKind.TRANSFER_IN: 1,
    EntryKind.EXPENSE: -1,
    EntryKind.TRANSFER_OUT: -1,
    EntryKind.WRITE_OFF: -1,
}


class Source(models.TextChoices):
    """Where contributed money came from (fund capital by source)."""

    STATE = "state", _("Ngân sách nhà nước, tỉnh hỗ trợ")
    MEMBERS = "members", _("Thành viên đóng góp")
    DONOR_ORG = "donor_org", _("Tổ chức hảo tâm")
    DONOR_PERSON = "donor_person", _("Cá nhân hảo tâm")
    CARE_FUND = "care_fund", _("Quỹ chăm sóc và phát huy vai trò NCT")
    PROJECT = "project", _("Dự án")
    OTHER = "other", _("Nguồn khác")


class ExpenseCategory(models.TextChoices):
    MEETINGS = "meetings", _("Sinh hoạt, hội họp")
    VISITS = "visits", _("Thăm hỏi, chúc thọ")
    CULTURE = "culture", _("Văn nghệ, thể thao")
    HEALTH = "health", _("Chăm sóc sức khỏe")
    STATIONERY = "stationery", _("Văn phòng phẩm, sổ sách")
    OTHER = "other", _("Chi khác")


class FundEntry(models.Model):
    # No index of its own here nor on Loan.fund, Loan.member, Instalment.loan, Repayment.loan and
    # FundMonth.fund: each model's index or unique constraint beginning with the same column serves it.
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="entries", verbose_name=_("quỹ"), db_index=False
    )
    entry_date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại bút toán"), max_length=12, choices=EntryKind.choices)
    amount = models.BigIntegerField(_("số tiền (đồng)"), validators=[MinValueValidator(1)])
    direction = models.SmallIntegerField(editable=False)  # +1 money in, -1 money out
    source = models.CharField(_("nguồn"), max_length=12, choices=Source.choices, blank=True)
    category = models.CharField(_("khoản chi"), max_length=12, choices=ExpenseCategory.choices, blank=True)
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_entries",
        verbose_name=_("thành viên đóng góp"),
    )
    document_number = models.CharField(
        _("số chứng từ"), max_length=50, blank=True, validators=[NoFormulaStart(_("Số chứng từ"))]
    )
    note = models.CharField(
        _("ghi chú"), max_length=300, blank=True, validators=[NoFormulaStart(_("Ghi chú"), prose=True)]
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("đảo bút toán"),
    )
    # Set when the entry was made by a repayment (interest) or a write-off, or is one leg of a transfer.
    repayment = models.ForeignKey(
        "Repayment", on_delete=models.PROTECT, null=True, blank=True, related_name="fund_entries"
    )
    loan = models.ForeignKey(
        "Loan", on_delete=models.PROTECT, null=True, blank=True, related_name="fund_entries"
    )
    transfer_pair = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # History is read by the entry's id, and by fund and by loan in the change panels of a club's funds
    # and of a loan (clubs.templatetags.audit): indexes on its other keys would only slow every write.
    history = HistoricalRecords(
        user_db_constraint=False,
        no_db_index=["member", "repayment", "reverses", "transfer_pair", "recorded_by"]
    )

    scope_lookups = ("fund__club__province_id", "fund__club__commune_id")

    class Meta:
        verbose_name = _("bút toán quỹ")
        verbose_name_plural = _("sổ quỹ")
        ordering = ["fund", "entry_date", "id"]
        indexes = [models.Index(fields=["fund", "entry_date"])]
        constraints = [
            models.CheckConstraint(name="fund_entry_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(name="fund_entry_direction_is_a_sign", condition=Q(direction__in=[1, -1])),
        ]

    def __str__(self) -> str:
        return f"{self.entry_date:%d/%m/%Y} {self.get_kind_display()} {self.direction * self.amount}"

    @property
    def signed_amount(self) -> int:
        return self.direction * self.amount


class Purpose(models.TextChoices):
    LIVESTOCK = "livestock", _("Chăn nuôi")
    CROPS = "crops", _("Trồng trọt")
    TRADE = "trade", _("Buôn bán nhỏ")
    SERVICES = "services", _("Dịch vụ")
    PROCESSING = "processing", _("Chế biến")
    OTHER = "other", _("Khác")


class RatePeriod(models.TextChoices):
    MONTH = "month", _("%/tháng")
    YEAR = "year", _("%/năm")


class RepaymentPlan(models.TextChoices):
    EQUAL_MONTHLY = "equal_monthly", _("Trả gốc đều hằng tháng")
    AT_END = "at_end", _("Trả gốc một lần cuối kỳ")
    CUSTOM = "custom", _("Lịch trả riêng")


class Loan(models.Model):
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="loans", verbose_name=_("quỹ"), db_index=False
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="loans",
        verbose_name=_("người vay"),
        db_index=False,
    )
    disbursed_on = models.DateField(_("ngày giải ngân"))
    principal = models.BigIntegerField(_("số tiền vay (đồng)"), validators=[MinValueValidator(1)])
    purpose = models.CharField(_("mục đích"), max_length=12, choices=Purpose.choices)
    purpose_text = models.CharField(
        _("mục đích cụ thể"), max_length=200, blank=True, validators=[NoFormulaStart(_("Mục đích cụ thể"))]
    )
    term_months = models.PositiveSmallIntegerField(_("thời hạn (tháng)"))
    interest_rate = models.DecimalField(_("lãi suất (%)"), max_digits=6, decimal_places=3, default=0)
    rate_period = models.CharField(
        _("lãi suất tính theo"), max_length=5, choices=RatePeriod.choices, default=RatePeriod.MONTH
    )
    plan = models.CharField(_("cách trả gốc"), max_length=15, choices=RepaymentPlan.choices)
    # Opening balances brought onto the system: principal repaid before the loan was recorded here.
    # It counts as repaid on the day of disbursement.
    opening_repaid = models.BigIntegerField(_("gốc đã trả trước khi nhập hệ thống"), default=0)
    # Derived from the repayments by funds.services (recomputed whenever they change), so that
    # "outstanding on a date" is a plain filter: the day the whole principal had been repaid.
    repaid_on = models.DateField(_("ngày trả hết gốc"), null=True, blank=True, editable=False)
    # The schedule in brief, and (derived like repaid_on) how many instalments were paid by their due
    # date: once a loan's last instalment is due, the repayment rate reads these two numbers instead
    # of the loan's instalments.
    last_due_on = models.DateField(_("hạn trả cuối"), null=True, blank=True, editable=False)
    instalments_count = models.PositiveSmallIntegerField(_("số kỳ trả"), default=0, editable=False)
    instalments_on_time = models.PositiveSmallIntegerField(_("số kỳ trả đúng hạn"), default=0, editable=False)
    # Running totals (funds.totals), kept with the repayments in the same transaction so that reports
    # read them instead of summing each loan's repayments: the principal repaid (all repayments,
    # reversals included) and the last day on which it changed. They hold as of any date on or after
    # `repaid_through`; for an earlier date the reports read the repayments themselves.
    principal_repaid = models.BigIntegerField(_("gốc đã trả"), default=0, editable=False)
    repaid_through = models.DateField(_("ngày trả gốc gần nhất"), null=True, blank=True, editable=False)
    # The due date of the first instalment not yet covered (None when all are): whether the loan is late,
    # and how late, as of the same dates, without reading its instalments.
    first_unpaid_due_on = models.DateField(
        _("hạn trả của kỳ chưa trả đầu tiên"), null=True, blank=True, editable=False
    )
    written_off_on = models.DateField(_("ngày xóa nợ"), null=True, blank=True)
    written_off_amount = models.BigIntegerField(_("số tiền xóa nợ"), default=0)
    write_off_reason = models.CharField(
        _("lý do xóa nợ"),
        max_length=300,
        blank=True,
        validators=[NoFormulaStart(_("Lý do xóa nợ"), prose=True)],
    )
    write_off_approved_by = models.CharField(
        _("người phê duyệt xóa nợ"),
        max_length=120,
        blank=True,
        validators=[NoFormulaStart(_("Người phê duyệt xóa nợ"))],
    )
    note = models.CharField(
        _("ghi chú"), max_length=300, blank=True, validators=[NoFormulaStart(_("Ghi chú"), prose=True)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # History is read by the loan's id only: indexes on its other keys would only slow every write.
    history = HistoricalRecords(user_db_constraint=False, no_db_index=["fund", "member", "recorded_by"])

    scope_lookups = ("fund__club__province_id", "fund__club__commune_id")

    class Meta:
        verbose_name = _("khoản vay")
        verbose_name_plural = _("khoản vay")
        ordering = ["-disbursed_on", "-id"]
        indexes = [
            # On PostgreSQL replaced by one that also carries what the loan totals read (funds 0009).
            models.Index(fields=["fund", "disbursed_on"]),
            models.Index(fields=["member", "disbursed_on"]),
            # The loan lists' order (newest first): the country's list for an admin read 50 rows from it
            # instead of sorting 860,000 loans (2.0 s → 0.09 s).
            models.Index(fields=["disbursed_on", "id"], name="loan_by_date"),
        ]
        constraints = [
            models.CheckConstraint(name="loan_principal_positive", condition=Q(principal__gt=0)),
            models.CheckConstraint(
                name="loan_opening_repaid_within_principal",
                condition=Q(opening_repaid__gte=0, opening_repaid__lte=F("principal")),
            ),
            models.CheckConstraint(name="loan_rate_not_negative", condition=Q(interest_rate__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.principal:,} đ ({self.disbursed_on:%d/%m/%Y})".replace(",", ".")

    @property
    def monthly_rate(self):
        """Interest rate per month as a fraction."""
        rate = self.interest_rate / 100
        return rate if self.rate_period == RatePeriod.MONTH else rate / 12

    def written_off_by(self, on: datetime.date) -> bool:
        return self.written_off_on is not None and self.written_off_on <= on


class Instalment(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="instalments", db_index=False)
    number = models.PositiveSmallIntegerField(_("kỳ"))
    due_on = models.DateField(_("hạn trả"))
    principal_due = models.BigIntegerField(_("gốc phải trả"))
    interest_due = models.BigIntegerField(_("lãi phải trả"), default=0)
    # Principal due through this instalment, so that "on time" compares two numbers.
    principal_due_cumulative = models.BigIntegerField(_("gốc phải trả lũy kế"), editable=False)
    # Derived (see Loan.repaid_on): the day the principal repaid first covered the cumulative due.
    # An instalment is on time when paid_on <= due_on, and unpaid on a date d when paid_on is
    # empty or after d. Repaid principal never falls over time (a reversal carries the date of
    # the repayment it cancels), so this one date answers both questions at every date.
    paid_on = models.DateField(_("ngày trả đủ"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("kỳ trả nợ")
        verbose_name_plural = _("lịch trả nợ")
        ordering = ["loan", "number"]
        indexes = [
            models.Index(fields=["loan", "due_on"]),
            # Only the instalments not yet covered (a small share of them): "is this open loan late?"
            # is one probe of this index (funds.selectors), however long the loan's schedule.
            models.Index(
                fields=["loan", "due_on"], condition=Q(paid_on__isnull=True), name="instalment_unpaid_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="one_instalment_per_number"),
            models.CheckConstraint(name="instalment_principal_positive", condition=Q(principal_due__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.due_on:%d/%m/%Y}"


class Repayment(models.Model):
    loan = models.ForeignKey(
        Loan, on_delete=models.PROTECT, related_name="repayments", verbose_name=_("khoản vay"), db_index=False
    )
    paid_on = models.DateField(_("ngày trả"))
    # Negative only in a reversal, which cancels a repayment recorded by mistake.
    principal = models.BigIntegerField(_("tiền gốc"), default=0)
    interest = models.BigIntegerField(_("tiền lãi"), default=0)
    note = models.CharField(
        _("ghi chú"), max_length=200, blank=True, validators=[NoFormulaStart(_("Ghi chú"), prose=True)]
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("hủy lần trả"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # History is read by the repayment's id, and by loan in a loan's change panel.
    history = HistoricalRecords(user_db_constraint=False, no_db_index=["reverses", "recorded_by"])

    scope_lookups = ("loan__fund__club__province_id", "loan__fund__club__commune_id")

    class Meta:
        verbose_name = _("lần trả nợ")
        verbose_name_plural = _("các lần trả nợ")
        ordering = ["loan", "paid_on", "id"]
        indexes = [models.Index(fields=["loan", "paid_on"])]
        constraints = [
            models.CheckConstraint(
                name="repayment_not_negative_and_not_empty",
                condition=(
                    Q(reverses__isnull=True, principal__gte=0, interest__gte=0)
                    & (Q(principal__gt=0) | Q(interest__gt=0))
                )
                | (
                    Q(reverses__isnull=False, principal__lte=0, interest__lte=0)
                    & (Q(principal__lt=0) | Q(interest__lt=0))
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on:%d/%m/%Y}: {self.principal} + {self.interest}"


class FundMonth(models.Model):
    """A fund's capital from one source at the end of a month in which the source moved (funds.totals).

    One row per (fund, source, month with entries of that source), holding the cumulative signed sum
    of the source's entries through the month's end, and the next such month (empty on the latest
    row). The capital on a date is then one row per fund and source — the one whose month is before
    the date's month and whose next month is not — plus the entries of the date's month up to it.
    Kept with the entries in the same transaction.
    """

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="months", db_index=False)
    month = models.DateField()  # the first day of the month
    source = models.CharField(max_length=12, blank=True)  # as FundEntry.source ("" but for contributions)
    balance = models.BigIntegerField()
    next_month = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "source", "month"], name="one_fund_month_per_source")
        ]
        # The rows in force on a date are those whose next month is empty or after it (funds.selectors
        # _ledger_by_club): found through this index instead of reading every month of every fund (the
        # country's 2.35 million rows for 163,000; the ledger query 620–690 → 350–400 ms).
        indexes = [models.Index(fields=["next_month"], name="fundmonth_next_month")]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.source} {self.month:%m/%Y}: {self.balance}"
