"""The reporting cycle: a commune submits its report for a named period, the province approves it
(which locks the period: clubs.locks.period_lock) or returns it with a reason; the province submits its
compiled report, built from its approved communes, to the national level, which approves or returns it.

Transitions (anything else is refused with a Vietnamese message):
    (none) --submit--> submitted --approve--> approved --reopen--> returned
                       submitted --return---> returned --submit--> submitted
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Min, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from clubs.access import area_of
from clubs.locks import period_lock, period_reopen
from clubs.models import Club
from places.models import Commune, Province
from places.text import formula_error
from reports.exports import report_pdf
from reports.models import CycleLevel, CycleReport, CycleStatus
from reports.periods import NamedPeriod, parse_period
from reports.progress import ProgressReport, build_report
from reports.scope import Period, Scope


def commune_report(commune: Commune, period: NamedPeriod) -> ProgressReport:
    """A commune's live report for the period: figures at its end, events within it."""
    scope = Scope(province=commune.province, commune=commune)
    return build_report(scope, period.end, Period.of(period), None, with_breakdowns=False, with_clubs=True)


def approved_commune_ids(province: Province, period: NamedPeriod) -> set[int]:
    return set(
        CycleReport.objects.filter(
            level=CycleLevel.COMMUNE, province=province, period=period.label, status=CycleStatus.APPROVED
        ).values_list("commune_id", flat=True)
    )


def province_report(province: Province, period: NamedPeriod) -> tuple[ProgressReport, list[Commune]]:
    """The province's compiled report: the figures of its approved communes only (their periods are
    locked, so these are the figures approved), and the communes with clubs still missing."""
    approved = approved_commune_ids(province, period)
    scope = Scope(province=province, commune_ids=frozenset(approved), name=province.name)
    report = build_report(scope, period.end, Period.of(period), None, with_breakdowns=False)
    missing = list(
        Commune.objects.filter(province=province, clubs__isnull=False)
        .exclude(pk__in=approved)
        .distinct()
        .order_by("name")
    )
    return report, missing


def communes_expected(commune_ids, period: NamedPeriod) -> set[int]:
    """The communes that owe a report for the period: those with a club founded (decided or launched) by
    its end and not dissolved before its start. A commune without clubs then, or whose first club came
    later, has nothing to report and is never overdue for it (one query)."""
    return _with_a_club_in("commune_id", Club.objects.filter(commune_id__in=commune_ids), period)


def provinces_expected(period: NamedPeriod) -> set[int]:
    """As `communes_expected`, one level up: the provinces with a club in the period (one query)."""
    return _with_a_club_in("province_id", Club.objects.all(), period)


def _with_a_club_in(place: str, clubs, period: NamedPeriod) -> set[int]:
    spans = (
        clubs.values(place)
        .annotate(
            first=Min(Coalesce("decision_date", "launched_on")),  # a club has one of them (Club.clean)
            last=Max(Coalesce("dissolved_on", Value(datetime.date.max))),
        )
    )
    return {
        s[place]
        for s in spans
        if (s["first"] is None or s["first"] <= period.end) and s["last"] >= period.start
    }


def _check_window(period: NamedPeriod, today: datetime.date) -> None:
    if today < period.opens_on():
        raise ValidationError(
            _("Chưa đến kỳ nộp báo cáo %(period)s: có thể nộp từ ngày %(day)s.")
            % {"period": period.label, "day": period.opens_on().strftime("%d/%m/%Y")},
            code="too_early",
        )


def _existing(level: str, place: dict[str, Any], period: NamedPeriod) -> CycleReport | None:
    return (
        CycleReport.objects.select_for_update(of=("self",)).filter(level=level, period=period.label, **place).first()
    )


def _check_may_submit(existing: CycleReport | None) -> None:
    if existing is None or existing.status == CycleStatus.RETURNED:
        return
    if existing.status == CycleStatus.SUBMITTED:
        raise ValidationError(_("Báo cáo kỳ này đã nộp và đang chờ duyệt."), code="already_submitted")
    raise ValidationError(_("Báo cáo kỳ này đã được duyệt."), code="already_approved")


def _freeze(
    existing: CycleReport | None, *, level: str, province: Province, commune: Commune | None,
    period: NamedPeriod, report: ProgressReport, user, missing: list[Commune] | None = None,
) -> CycleReport:  # fmt: skip
    row = existing or CycleReport(level=level, province=province, commune=commune, period=period.label)
    row.period_start, row.period_end = period.start, period.end
    row.status = CycleStatus.SUBMITTED
    row.figures = report.as_dict()
    row.missing = [{"code": c.code, "name": c.name} for c in (missing or [])]
    row.submitted_by, row.submitted_at = user, timezone.now()
    row.reviewed_by, row.reviewed_at = None, None
    row.pdf.save(f"{timezone.localdate():%Y%m%d}.pdf", ContentFile(report_pdf(report)), save=False)
    row.save()
    return row


@transaction.atomic
def commune_submit(*, commune: Commune, period: NamedPeriod | str, user, today: datetime.date | None = None):
    """Commune staff (or an admin) send the commune's report; figures and PDF are frozen."""
    period = parse_period(period) if isinstance(period, str) else period
    if not area_of(user).can_edit_commune(commune.pk):
        raise PermissionDenied(_("Chỉ cán bộ Hội NCT xã mới nộp báo cáo của xã."))
    _check_window(period, today or timezone.localdate())
    existing = _existing(CycleLevel.COMMUNE, {"commune": commune}, period)
    _check_may_submit(existing)
    report = commune_report(commune, period)
    return _freeze(
        existing, level=CycleLevel.COMMUNE, province=commune.province, commune=commune, period=period,
        report=report, user=user,
    )  # fmt: skip


@transaction.atomic
def province_submit(*, province: Province, period: NamedPeriod | str, user, today: datetime.date | None = None):
    """The province sends its compiled report to the national level."""
    period = parse_period(period) if isinstance(period, str) else period
    if not area_of(user).can_manage_province(province.pk):
        raise PermissionDenied(_("Chỉ cán bộ Hội NCT tỉnh mới nộp báo cáo của tỉnh."))
    _check_window(period, today or timezone.localdate())
    existing = _existing(CycleLevel.PROVINCE, {"province": province}, period)
    _check_may_submit(existing)
    report, missing = province_report(province, period)
    return _freeze(
        existing, level=CycleLevel.PROVINCE, province=province, commune=None, period=period, report=report,
        user=user, missing=missing,
    )  # fmt: skip


def may_review(user, row: CycleReport) -> bool:
    """The province reviews its communes' reports; the national level (and admins) the provinces'."""
    area = area_of(user)
    if row.level == CycleLevel.COMMUNE:
        return area.can_manage_province(row.province_id)
    return area.is_admin or area.is_national


def _for_review(row: CycleReport, user) -> CycleReport:
    if not may_review(user, row):
        raise PermissionDenied(_("Bạn không có quyền duyệt báo cáo này."))
    row = CycleReport.objects.select_for_update(of=("self",)).select_related("commune").get(pk=row.pk)
    if row.status != CycleStatus.SUBMITTED:
        raise ValidationError(
            _("Chỉ duyệt hoặc trả lại báo cáo đang chờ duyệt (báo cáo này: %(status)s).")
            % {"status": row.get_status_display()},
            code="not_submitted",
        )
    return row


@transaction.atomic
def cycle_approve(*, row: CycleReport, user) -> CycleReport:
    """Approve; a commune's approval locks its period (writes dated inside it are refused)."""
    row = _for_review(row, user)
    if row.level == CycleLevel.COMMUNE:
        row.lock = period_lock(
            commune=row.commune, label=row.period, starts_on=row.period_start, ends_on=row.period_end, by=user
        )
    row.status = CycleStatus.APPROVED
    row.reviewed_by, row.reviewed_at = user, timezone.now()
    row.return_reason = ""
    row.save()
    return row


@transaction.atomic
def cycle_return(*, row: CycleReport, user, reason: str) -> CycleReport:
    """Send the report back with a reason the sender sees; they correct and submit again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Hãy ghi lý do trả lại báo cáo."), code="reason_required")
    if error := formula_error(reason, _("Lý do trả lại"), prose=True):  # the field's NoFormulaStart
        raise ValidationError(error, code="formula")
    row = _for_review(row, user)
    row.status = CycleStatus.RETURNED
    row.reviewed_by, row.reviewed_at = user, timezone.now()
    row.return_reason = reason
    row.save()
    return row


@transaction.atomic
def cycle_reopen(*, row: CycleReport, user, reason: str) -> CycleReport:
    """Reopen an approved period with a reason (its lock lifted, audited); the report goes back."""
    if not may_review(user, row):
        raise PermissionDenied(_("Bạn không có quyền mở lại kỳ báo cáo này."))
    row = CycleReport.objects.select_for_update(of=("self",)).get(pk=row.pk)
    if row.status != CycleStatus.APPROVED:
        raise ValidationError(_("Chỉ mở lại kỳ đã được duyệt."), code="not_approved")
    if row.lock_id is not None:
        period_reopen(lock=row.lock, by=user, reason=reason)  # refuses an empty reason
    elif not (reason or "").strip():
        raise ValidationError(_("Hãy ghi lý do mở lại kỳ báo cáo."), code="reason_required")
    elif error := formula_error(reason, _("Lý do mở lại"), prose=True):
        raise ValidationError(error, code="formula")
    row.status = CycleStatus.RETURNED
    row.reviewed_by, row.reviewed_at = user, timezone.now()
    row.return_reason = _("Mở lại kỳ: %(reason)s") % {"reason": reason.strip()}
    row.save()
    return row


# ---------------------------------------------------------------------------
# The boards: every commune of a province, every province of the country.
# ---------------------------------------------------------------------------


@dataclass
class BoardRow:
    place: Commune | Province
    report: CycleReport | None
    deadline: datetime.date
    today: datetime.date
    expected: bool = True  # False: no club in the period there (communes_expected, provinces_expected)

    @property
    def status(self) -> str:
        return self.report.status if self.report else "not_started"

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else _("Chưa nộp")

    @property
    def overdue(self) -> bool:
        return (
            self.expected
            and self.today > self.deadline
            and self.status in ("not_started", CycleStatus.RETURNED)
        )


def commune_board(province: Province, period: NamedPeriod, today: datetime.date) -> list[BoardRow]:
    """Every commune of the province with its report for the period (three queries); those without a
    club in the period are listed, never overdue."""
    reports = {
        r.commune_id: r
        for r in CycleReport.objects.filter(level=CycleLevel.COMMUNE, province=province, period=period.label)
    }
    deadline = period.deadline()
    communes = list(Commune.objects.filter(province=province).order_by("name"))
    expected = communes_expected([c.pk for c in communes], period)
    return [
        BoardRow(commune, reports.get(commune.pk), deadline, today, commune.pk in expected)
        for commune in communes
    ]


def province_board(period: NamedPeriod, today: datetime.date) -> list[BoardRow]:
    """Every province with its compiled report for the period (three queries); those without a club in
    the period are listed, never overdue."""
    reports = {
        r.province_id: r for r in CycleReport.objects.filter(level=CycleLevel.PROVINCE, period=period.label)
    }
    deadline = period.deadline("province")
    expected = provinces_expected(period)
    return [
        BoardRow(p, reports.get(p.pk), deadline, today, p.pk in expected) for p in Province.objects.order_by("code")
    ]


def differences(row: CycleReport, live: ProgressReport) -> list[dict]:
    """Indicator by indicator: the value submitted, the value now, and whether they differ."""
    sent = row.figures.get("indicators", {})
    result = []
    for indicator, now in live.indicator_rows:
        before = (sent.get(indicator.code) or {}).get("value")
        # A code the catalogue gained after the submission was not sent: nothing to compare it with.
        changed = indicator.code in sent and before != now
        result.append({"indicator": indicator, "submitted": before, "now": now, "changed": changed})
    return result
