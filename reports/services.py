"""Submitting a report: the figures and the PDF are frozen together with who sent them and when."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction

from reports.exports import report_pdf
from reports.models import SubmittedReport
from reports.progress import ProgressReport


@transaction.atomic
def report_submit(*, report: ProgressReport, user, note: str = "") -> SubmittedReport:
    """Store the report as sent. Later data corrections change live reports, never this one."""
    submitted = SubmittedReport(
        province=report.scope.province,
        plan=report.plan,
        as_of=report.on,
        period_start=report.period.start,
        period_end=report.period.end,
        figures=report.as_dict(),
        submitted_by=user,
        note=note,
    )
    submitted.full_clean(exclude=["pdf"])
    submitted.pdf.save(f"{datetime.date.today():%Y%m%d}.pdf", ContentFile(report_pdf(report)), save=False)
    submitted.save()
    return submitted


def compare_with_submitted(report: ProgressReport, submitted: SubmittedReport) -> list[dict]:
    """Indicator by indicator: the value sent, the value now, and the change."""
    sent = submitted.figures.get("indicators", {})
    rows = []
    for indicator, now in report.indicator_rows:
        before = (sent.get(indicator.code) or {}).get("value")
        change = None if before is None or now is None else round(now - before, 1)
        rows.append({"indicator": indicator, "submitted": before, "now": now, "change": change})
    return rows
