"""创建活动记录: activities and meetings with their five steps (方案 → 通知 → 签到 → 照片 → 总结), attendance,
meeting minutes (会议纪要) and volunteer hours imported from the volunteer systems (志愿汇, 全国志愿服务信息系统).

An activity's documents and photos are stored once, as `evidence.Evidence`, and serve every criterion the
activity is linked to.
"""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from wenming.activities.querysets import (
    ActivityKindQuerySet,
    ActivityQuerySet,
    AttendanceQuerySet,
    VolunteerDraftQuerySet,
    VolunteerRecordQuerySet,
)
from wenming.core.models import UnitOwned, UploadDraft, Versioned
from wenming.core.recycle import Recyclable

# The seed's kinds (五(一) meetings, 六(三) 群众性文体活动 …): (name, is a meeting). The office may add more.
DEFAULT_KINDS = [
    (_("文体活动"), False),
    (_("志愿服务"), False),
    (_("道德讲堂"), False),
    (_("我们的节日"), False),
    (_("理论学习"), False),
    (_("主题教育"), False),
    (_("党组会议"), True),
    (_("中心组学习"), True),
    (_("干警大会"), True),
    (_("部门会议"), True),
    (_("帮扶共建"), False),
]


def new_attendance_token() -> str:
    return secrets.token_urlsafe(24)


class ActivityKind(models.Model):
    """活动类型: one unit's list of activity and meeting kinds, seeded with the seed's and extended by the 创建办."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="activity_kinds",
                             verbose_name=_("单位"))
    name = models.CharField(_("类型名称"), max_length=40)
    is_meeting = models.BooleanField(_("属于会议"), default=False, help_text=_("会议类活动可填写会议纪要。"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = ActivityKindQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动类型")
        verbose_name_plural = _("活动类型")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="activities_kind_unique_name_per_unit",
                                    violation_error_message=_("本单位已有同名的活动类型。")),
        ]

    def __str__(self) -> str:
        return self.name


class Activity(Recyclable, Versioned, UnitOwned):
    """创建活动记录: one activity or meeting of a campaign, organised by a department, with its five steps.

    Its documents and photos are evidence rows (through `ActivityDocument`) carrying the activity's criteria, so
    they count for every linked criterion without being uploaded twice.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("筹备中")
        HELD = "held", _("已举办")
        SUMMARISED = "summarised", _("已总结")
        CANCELLED = "cancelled", _("已取消")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="activities",
                                 verbose_name=_("创建活动"))
    kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, related_name="activities",
                             verbose_name=_("活动类型"))
    title = models.CharField(_("活动名称"), max_length=200)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="activities", verbose_name=_("组织部门"))
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="organised_activities", verbose_name=_("组织人"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    description = models.TextField(_("活动内容"), blank=True, max_length=5000)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    criteria = models.ManyToManyField("standards.Criterion", blank=True, related_name="activities",
                                      verbose_name=_("测评指标"), help_text=_("活动的文件和照片自动作为这些指标的创建材料。"))
    tasks = models.ManyToManyField("campaigns.Task", blank=True, related_name="activities",
                                   verbose_name=_("工作任务"))
    summary = models.TextField(_("活动总结"), blank=True, max_length=10000)
    minutes = models.TextField(_("会议纪要"), blank=True, max_length=20000)
    decisions = models.JSONField(_("议定事项"), default=list, blank=True)
    attendance_token = models.CharField(_("签到码"), max_length=64, unique=True, default=new_attendance_token,
                                        editable=False)
    attendance_expires_at = models.DateTimeField(_("签到截止时间"), null=True, blank=True,
                                                 help_text=_("留空表示不限；过了这个时间扫码不能再签到。"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动与会议")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "starts_at"], name="activities_campaign_starts"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="activities_ends_after_start",
                                   violation_error_message=_("结束时间不能早于开始时间。")),
        ]

    def __str__(self) -> str:
        return self.title


class ActivityDocument(models.Model):
    """A document or photo of one step of an activity, stored as evidence so it serves the activity's criteria."""

    class Step(models.TextChoices):
        PLAN = "plan", _("方案")
        NOTICE = "notice", _("通知")
        ATTENDANCE = "attendance", _("签到")
        PHOTOS = "photos", _("照片")
        SUMMARY = "summary", _("总结")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="documents",
                                 verbose_name=_("活动"))
    step = models.CharField(_("环节"), max_length=20, choices=Step.choices)
    evidence = models.OneToOneField("evidence.Evidence", on_delete=models.CASCADE, related_name="activity_link",
                                    verbose_name=_("创建材料"))
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("活动材料")
        verbose_name_plural = _("活动材料")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.activity} · {self.get_step_display()}"


class Attendance(models.Model):
    """签到: one person present at an activity, signed in by scanning the QR code or ticked by the organiser."""

    class Method(models.TextChoices):
        QR = "qr", _("扫码签到")
        ROSTER = "roster", _("组织人登记")
        API = "api", _("接口")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance",
                                 verbose_name=_("活动"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendance",
                               verbose_name=_("人员"))
    signed_at = models.DateTimeField(_("签到时间"), auto_now_add=True)
    method = models.CharField(_("签到方式"), max_length=10, choices=Method.choices, default=Method.QR)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="activities_attendance_once",
                                    violation_error_message=_("此人已签到。")),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.activity}"


class VolunteerBatch(models.Model):
    """One confirmed import of volunteer hours (a file exported from 志愿汇 or the national system)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="volunteer_batches",
                                 verbose_name=_("创建活动"))
    filename = models.CharField(_("文件名"), max_length=200)
    rows = models.PositiveIntegerField(_("导入条数"), default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("导入人"))
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("志愿时长导入")
        verbose_name_plural = _("志愿时长导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename


class VolunteerRecord(models.Model):
    """志愿服务时长: hours one person served on one day, as the volunteer system recorded them."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="volunteer_records",
                                 verbose_name=_("创建活动"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="volunteer_records",
                               verbose_name=_("人员"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=6, decimal_places=2,
                                validators=[MinValueValidator(0)])
    activity_name = models.CharField(_("活动名称"), max_length=200, blank=True)
    served_on = models.DateField(_("服务日期"))
    batch = models.ForeignKey(VolunteerBatch, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="records", verbose_name=_("导入批次"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = VolunteerRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿服务时长")
        verbose_name_plural = _("志愿服务时长")
        ordering = ["-served_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="activities_volunteer_hours_range",
                                   violation_error_message=_("服务时长须大于 0 且不超过 24 小时。")),
            models.UniqueConstraint(fields=["campaign", "person", "served_on", "activity_name"],
                                    name="activities_volunteer_once_per_day",
                                    violation_error_message=_("此人当天这项活动的时长已登记。")),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.served_on} · {self.hours}"


class VolunteerImportDraft(UploadDraft):
    """An uploaded volunteer export waiting for the 创建办 to check the preview and confirm. What is kept is the
    first table's rows as read (never the upload itself), in the database so any web node can show it."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("创建活动"))
    rows = models.JSONField(_("读取的行"), default=list)

    objects = VolunteerDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("待确认的志愿时长导入")
        verbose_name_plural = _("待确认的志愿时长导入")
