"""创建材料: evidence for the criteria of a campaign, its files, its review history and the compiled archive."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.models import UnitOwned, Versioned
from wenming.core.recycle import Recyclable
from wenming.evidence.querysets import ArchiveJobQuerySet, EvidenceFileQuerySet, EvidenceQuerySet


def evidence_file_path(instance, filename: str) -> str:
    """Stored under a random name; the original name lives only in the database."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/files/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{ext}"


def thumbnail_path(instance, filename: str) -> str:
    return f"evidence/thumbs/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.jpg"


class Evidence(Recyclable, Versioned, UnitOwned):
    """创建材料: one item (a meeting, an activity, a document, a link) serving one or more criteria of a campaign.

    Enter once, reuse everywhere: one activity's photos serve several criteria through `criteria`. `revision`
    counts submissions; every submission and decision is kept in `reviews` with a snapshot of that version.
    """

    class Kind(models.TextChoices):
        FILE = "file", _("文件")
        PHOTO = "photo", _("照片")
        MINUTES = "minutes", _("会议记录")
        LEDGER = "ledger", _("台账")
        LINK = "link", _("链接")
        SCREENSHOT = "screenshot", _("截图")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        RETURNED = "returned", _("已退回")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="evidence",
                                 verbose_name=_("创建活动"))
    task = models.ForeignKey("campaigns.Task", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="evidence", verbose_name=_("工作任务"))
    criteria = models.ManyToManyField("standards.Criterion", blank=True, related_name="evidence",
                                      verbose_name=_("测评指标"), help_text=_("一份材料可同时用于多个测评指标。"))
    title = models.CharField(_("材料名称"), max_length=200)
    kind = models.CharField(_("材料类型"), max_length=20, choices=Kind.choices, default=Kind.FILE)
    occurred_on = models.DateField(_("形成日期"), help_text=_("会议、活动举办或文件印发的日期。"))
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="evidence", verbose_name=_("提供部门"))
    description = models.TextField(_("情况说明"), blank=True, max_length=5000)
    link = models.URLField(_("链接"), max_length=1000, blank=True,
                           help_text=_("已发布的内容可直接填写网址，不必重新录入。"))
    uploader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evidence",
                                 verbose_name=_("上传人"))
    status = models.CharField(_("审核状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    revision = models.PositiveIntegerField(_("提交次数"), default=1)
    return_reason = models.TextField(_("退回原因"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("创建材料")
        verbose_name_plural = _("创建材料")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["campaign", "status"], name="evidence_campaign_status"),
            models.Index(fields=["campaign", "department"], name="evidence_campaign_dept"),
            # city scale (issue 10): counts per status read the index alone; the list walks it in display order
            models.Index(fields=["campaign", "deleted_at", "status", "uploader"], name="evidence_campaign_live_status"),
            models.Index(fields=["campaign", "occurred_on", "id"], name="evidence_campaign_occurred"),
        ]

    def __str__(self) -> str:
        return self.title


class EvidenceFile(UnitOwned):
    """A file of an evidence item: kept under a random name, its type decided by content, never replaced.

    A resubmission adds files and retires the ones taken out (`retired_in`), so every earlier version stays.
    """

    unit_path = "evidence__campaign__unit"

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="files", verbose_name=_("创建材料"))
    file = models.FileField(_("文件"), upload_to=evidence_file_path, max_length=255)
    name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    file_type = models.CharField(_("类型"), max_length=10)
    mime = models.CharField(_("媒体类型"), max_length=100)
    page_count = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True, help_text=_("照片 EXIF 中的拍摄时间。"))
    thumbnail = models.FileField(_("缩略图"), upload_to=thumbnail_path, max_length=255, blank=True)
    added_in = models.PositiveIntegerField(_("提交版本"), default=1)
    retired_in = models.PositiveIntegerField(_("撤下于版本"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = EvidenceFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("材料文件")
        verbose_name_plural = _("材料文件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.retired_in is None

    @property
    def is_raster(self) -> bool:
        from wenming.files.sniffing import TYPES

        kind = TYPES.get(self.file_type)
        return bool(kind and kind.raster)


class Review(models.Model):
    """审核记录: a submission, a resubmission, an approval or a return (with its reason), with the version seen."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("提交")
        RESUBMITTED = "resubmitted", _("重新提交")
        APPROVED = "approved", _("通过")
        RETURNED = "returned", _("退回")

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("创建材料"))
    revision = models.PositiveIntegerField(_("版本"))
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    reason = models.TextField(_("意见或原因"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("操作人"))
    snapshot = models.JSONField(_("当时的内容"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["created_at", "id"]
        # 部门考核 counts returns per department: read from the few returns, not by probing every evidence of the
        # campaign for reviews (issue 17: 46 ms of the ranking's first load at 30,000 evidence)
        indexes = [models.Index(fields=["action", "evidence"], name="evidence_review_action")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.evidence}"


class ArchiveJob(UnitOwned):
    """迎检档案: one compilation of a campaign's approved evidence into a ZIP by criterion code with a 目录.

    The ZIP is recorded in `file` only once it is complete, so an interrupted run leaves nothing to download;
    running it again starts over.
    """

    class Kind(models.TextChoices):
        ZIP = "zip", _("ZIP 档案包")
        BINDER = "binder", _("PDF 案卷（带卷内目录和页号）")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("正在生成")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="archive_jobs",
                                 verbose_name=_("创建活动"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("发起人"))
    kind = models.CharField(_("形式"), max_length=10, choices=Kind.choices, default=Kind.ZIP)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    total_files = models.PositiveIntegerField(_("文件总数"), default=0)
    done_files = models.PositiveIntegerField(_("已写入"), default=0)
    file = models.FileField(_("档案包"), max_length=255, blank=True)
    partial_name = models.CharField(_("写入中的临时文件"), max_length=255, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ArchiveJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("迎检档案")
        verbose_name_plural = _("迎检档案")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done_files * 100 / self.total_files) if self.total_files else 0
