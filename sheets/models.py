"""An import job: an uploaded file, its preview and, once confirmed, its commit.

The file stays under MEDIA_ROOT/sheets/ so that the preview, the confirmation and the error
workbook all read the same bytes. Large files are analysed and committed by a background task;
`progress` and `stage` are what the page's progress bar shows.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    CLUBS = "clubs", _("Danh sách CLB")
    MEMBERS = "members", _("Danh sách thành viên")
    LOANS = "loans", _("Dư nợ cho vay (đầu kỳ)")
    CONTRIBUTIONS = "contributions", _("Đóng góp vào quỹ")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    ANALYSING = "analysing", _("Đang kiểm tra")
    READY = "ready", _("Sẵn sàng ghi")
    INVALID = "invalid", _("Có lỗi")
    COMMITTING = "committing", _("Đang ghi")
    DONE = "done", _("Đã ghi xong")
    FAILED = "failed", _("Lỗi hệ thống")


def upload_to(job: "ImportJob", filename: str) -> str:
    return f"sheets/{job.id}/{filename}"


class ImportJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("loại dữ liệu"), max_length=15, choices=ImportKind.choices)
    file = models.FileField(_("tệp"), upload_to=upload_to, max_length=300)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    club = models.ForeignKey(
        "clubs.Club",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("CLB cho cả tệp"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    # Set by the confirmation: the next run writes instead of only checking.
    commit_requested = models.BooleanField(default=False)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    stage = models.CharField(_("bước"), max_length=200, blank=True)
    # The preview (or, after the commit, the final) report: ImportReport.to_dict().
    report = models.JSONField(_("kết quả kiểm tra"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    committed_at = models.DateTimeField(_("thời điểm ghi"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập bảng tính")
        verbose_name_plural = _("các lần nhập bảng tính")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.ANALYSING, JobStatus.COMMITTING)
