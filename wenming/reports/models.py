"""创建报告: the office's report templates and the Word reports generated from a campaign's data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.models import UnitOwned, Versioned
from wenming.core.recycle import Recyclable
from wenming.reports.querysets import ReportJobQuerySet, ReportTemplateQuerySet


class Kind(models.TextChoices):
    WORK_REPORT = "work_report", _("创建工作报告")
    PHASE_SUMMARY = "phase_summary", _("阶段总结")


class ReportTemplate(Recyclable, Versioned):
    """报告模板: a unit's wording of a report — title, 主送机关, body with placeholders (`{{ 单位名称 }}`) and section
    markers (`[[任务完成情况]]`, each on its own line) that the generator fills from the campaign's data.

    Every unit starts with one default template of each kind; the 创建办 edits the wording freely, adds its own
    and moves its own to the recycle bin (the defaults stay).
    """

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="report_templates",
                             verbose_name=_("单位"))
    name = models.CharField(_("模板名称"), max_length=100)
    kind = models.CharField(_("报告类型"), max_length=20, choices=Kind.choices, default=Kind.WORK_REPORT)
    title = models.CharField(_("标题"), max_length=200,
                             help_text=_("可用占位符；标题较长时可用“|”分行。"))
    addressee = models.CharField(_("主送机关"), max_length=100, blank=True, help_text=_("如“市文明办”；不填则不写。"))
    body = models.TextField(_("正文"), max_length=50000)
    signature = models.CharField(_("发文机关署名"), max_length=100, default="{{ 单位名称 }}")
    is_default = models.BooleanField(_("系统预置"), default=False, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("最后修改人"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = ReportTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("报告模板")
        verbose_name_plural = _("报告模板")
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="reports_template_unique_name",
                                    violation_error_message=_("本单位已有同名模板。")),
            models.UniqueConstraint(fields=["unit", "kind"], condition=models.Q(is_default=True),
                                    name="reports_template_one_default_per_kind",
                                    violation_error_message=_("每种报告只有一个预置模板。")),
        ]

    def __str__(self) -> str:
        return self.name


def report_path(instance, filename: str) -> str:
    return f"reports/{instance.campaign_id}/{filename}"


class ReportJob(UnitOwned):
    """生成的报告: one Word document made in the background from a template and a campaign's data (a phase's
    only, for a 阶段总结). The file is recorded only once it is complete; the list of jobs is the history."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("正在生成")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="report_jobs",
                                 verbose_name=_("创建活动"))
    template = models.ForeignKey(ReportTemplate, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="jobs", verbose_name=_("模板"))
    kind = models.CharField(_("报告类型"), max_length=20, choices=Kind.choices, default=Kind.WORK_REPORT)
    phase = models.ForeignKey("campaigns.Phase", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("阶段"))
    title = models.CharField(_("报告标题"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    file = models.FileField(_("文件"), upload_to=report_path, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("发起人"))
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("生成的报告")
        verbose_name_plural = _("生成的报告")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="reports_job_progress_0_100",
                                   violation_error_message=_("进度须在 0 到 100 之间。")),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else self.progress
