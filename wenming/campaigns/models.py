"""The campaign (创建活动): plan, phases, milestones, leadership roster and the task decomposition (工作分解)."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from wenming.campaigns.querysets import (
    CampaignPartQuerySet,
    CampaignQuerySet,
    ImportDraftQuerySet,
    TaskQuerySet,
)
from wenming.core.models import UnitOwned, UploadDraft, Versioned
from wenming.core.recycle import Recyclable

# The seed's four phases (实施方案 五): name, (start month, start day), (end month, end day).
DEFAULT_PHASES = [
    (_("动员部署"), (1, 1), (6, 30)),
    (_("组织实施"), (7, 1), (8, 31)),
    (_("自查验收"), (9, 1), (10, 31)),
    (_("检查验收"), (11, 1), (12, 31)),
]


class Campaign(Versioned):
    """创建活动: one unit's campaign for one title in one year, against one pinned version of the standard."""

    class Level(models.TextChoices):
        CITY = "city", _("市级")
        PROVINCE = "province", _("省级")
        NATIONAL = "national", _("全国")

    class Status(models.TextChoices):
        PLANNING = "planning", _("筹备中")
        ACTIVE = "active", _("进行中")
        CLOSED = "closed", _("已结束")

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("单位"))
    title = models.CharField(_("名称"), max_length=200, help_text=_("如“2021年创建市级文明单位”。"))
    level = models.CharField(_("创建级别"), max_length=20, choices=Level.choices, default=Level.CITY)
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    standard = models.ForeignKey(
        "standards.Standard", on_delete=models.PROTECT, null=True, blank=True, related_name="campaigns",
        verbose_name=_("测评体系"), help_text=_("只能选择已发布的版本；活动使用后该版本不再改动。"),
    )
    pass_score = models.DecimalField(
        _("达标分数"), max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    document_title = models.CharField(_("正式文件标题"), max_length=200, blank=True,
                                      help_text=_("成立领导小组的红头文件，如《关于成立创建市级文明单位工作领导小组的通知》。"))
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    document = models.FileField(_("正式文件"), upload_to="campaigns/documents/%Y/", blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("创建活动")
        verbose_name_plural = _("创建活动")
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaigns_campaign_ends_after_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def phase_on(self, day: date, phases=None):
        for phase in phases if phases is not None else self.phases.all():
            if phase.starts_on <= day <= phase.ends_on:
                return phase
        return None


class CampaignChoice(models.Model):
    """The campaign a person works on, chosen in the page header: every campaign page (材料, 查漏补缺, 自查, 整改,
    报告, 驾驶舱, 任务) opens it instead of the running one. A preference of one person; the campaigns stay as they are."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_choice",
                                verbose_name=_("人员"))
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("创建活动"))
    chosen_at = models.DateTimeField(_("选择时间"), auto_now=True)

    class Meta:
        verbose_name = _("当前创建活动")
        verbose_name_plural = _("当前创建活动")

    def __str__(self) -> str:
        return f"{self.user} → {self.campaign}"


class Phase(Versioned, UnitOwned):
    """阶段: a dated stage of the campaign (the seed's four are the default, all editable)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases", verbose_name=_("创建活动"))
    name = models.CharField(_("阶段名称"), max_length=60)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    summary = models.TextField(_("主要工作"), blank=True)

    objects = CampaignPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        ordering = ["order", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaigns_phase_ends_after_start",
                violation_error_message=_("阶段的结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(Versioned, UnitOwned):
    """节点: a dated event inside a phase (the mobilisation meeting, the self-check, the inspection)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="milestones",
                                 verbose_name=_("创建活动"))
    phase = models.ForeignKey(Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones",
                              verbose_name=_("阶段"))
    title = models.CharField(_("节点"), max_length=200)
    due_on = models.DateField(_("日期"))
    done = models.BooleanField(_("已完成"), default=False)

    objects = CampaignPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class RosterEntry(Versioned, UnitOwned):
    """领导小组和创建办公室的一员 (seed §三): a person in a role; liaisons name the department they speak for."""

    class Role(models.TextChoices):
        HEAD = "head", _("组长")
        DEPUTY_HEAD = "deputy_head", _("副组长")
        MEMBER = "member", _("成员")
        OFFICE_DIRECTOR = "office_director", _("办公室主任")
        OFFICE_DEPUTY = "office_deputy", _("办公室副主任")
        LIAISON = "liaison", _("联络员")

    GROUP_ROLES = (Role.HEAD, Role.DEPUTY_HEAD, Role.MEMBER)
    OFFICE_ROLES = (Role.OFFICE_DIRECTOR, Role.OFFICE_DEPUTY)

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="roster", verbose_name=_("创建活动"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="campaign_roles",
                               verbose_name=_("人员"))
    role = models.CharField(_("职务"), max_length=20, choices=Role.choices)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("联络部门"))
    title = models.CharField(_("现任职务"), max_length=100, blank=True, help_text=_("如“党组书记、院长”。"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = CampaignPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("领导小组成员")
        verbose_name_plural = _("领导小组和创建办公室")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person", "role"], name="campaigns_roster_unique_role",
                violation_error_message=_("此人已担任该职务。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person}"


class Task(Recyclable, Versioned, UnitOwned):
    """工作任务: one line of the 工作分解表 — what to do, who leads, who helps, by when, and how far it got.

    Deleting a task puts it in the recycle bin (回收站) with its comments, rounds and history intact."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("未开始")
        IN_PROGRESS = "in_progress", _("进行中")
        IN_REVIEW = "in_review", _("待审核")
        DONE = "done", _("已完成")
        RETURNED = "returned", _("已退回")

    class Recurrence(models.TextChoices):
        ONCE = "once", _("一次性")
        MONTHLY = "monthly", _("每月")
        QUARTERLY = "quarterly", _("每季度")
        HALF_YEARLY = "half_yearly", _("每半年")
        ONGOING = "ongoing", _("长期坚持")

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.IN_REVIEW, Status.RETURNED)

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("创建活动"))
    number = models.PositiveIntegerField(_("序号"), default=0)
    title = models.CharField(_("工作任务"), max_length=500)
    description = models.TextField(_("工作要求"), blank=True)
    criteria = models.ManyToManyField("standards.Criterion", blank=True, related_name="tasks",
                                      verbose_name=_("测评指标"))
    lead_department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="led_tasks", verbose_name=_("牵头部门"))
    co_departments = models.ManyToManyField("org.Department", blank=True, related_name="assisted_tasks",
                                            verbose_name=_("配合部门"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="owned_tasks", verbose_name=_("责任人"))
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="supervised_tasks", verbose_name=_("分管领导"))
    supervisor_label = models.CharField(_("责任领导（原文）"), max_length=60, blank=True,
                                        help_text=_("导入时写的是职务而非姓名时，保留原文。"))
    phase = models.ForeignKey(Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks",
                              verbose_name=_("阶段"))
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    recurrence = models.CharField(_("频次"), max_length=20, choices=Recurrence.choices, default=Recurrence.ONCE)
    due_text = models.CharField(_("完成时限（原文）"), max_length=60, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0,
                                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    return_reason = models.TextField(_("退回原因"), blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")
        ordering = ["number", "id"]
        indexes = [
            models.Index(fields=["campaign", "lead_department"], name="campaigns_task_campaign_dept"),
            models.Index(fields=["campaign", "status", "due_on"], name="campaigns_task_campaign_status"),
            # the task list's order: a page of 50 is read off the index, not sorted out of 3,000 (issue 10)
            models.Index(fields=["campaign", "number", "id"], name="campaigns_task_campaign_number"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="campaigns_task_progress_0_100",
                violation_error_message=_("进度须在 0 到 100 之间。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title[:200]

    def is_overdue(self, today: date) -> bool:
        if self.status == self.Status.DONE:
            return False
        if self.due_on is not None and self.due_on < today:
            return True
        return bool(getattr(self, "late_occurrences", 0))


class TaskOccurrence(models.Model):
    """一次: a dated round of a recurring task (每月/每季度/每半年), ticked off as it is done."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="occurrences", verbose_name=_("工作任务"))
    due_on = models.DateField(_("应完成日期"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("完成人"))

    class Meta:
        verbose_name = _("周期任务")
        verbose_name_plural = _("周期任务")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "due_on"], name="campaigns_occurrence_unique_date",
                                    violation_error_message=_("该任务在这一天已有一次。")),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.due_on}"


class TaskComment(models.Model):
    """留言: a remark on a task; @姓名 mentions a colleague, who then finds it under My work."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments", verbose_name=_("工作任务"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("留言人"))
    body = models.TextField(_("内容"), max_length=2000)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="task_mentions",
                                      verbose_name=_("提到的人"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("留言")
        verbose_name_plural = _("留言")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:50]


class TaskImportDraft(UploadDraft):
    """An uploaded annex waiting for the office to check the preview and confirm. What is kept is the file's tables
    as read (never the upload itself), in the database so any web node can show it; the office's fixes (the table
    chosen, columns, names mapped, dates corrected) travel with it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("创建活动"))
    tables = models.JSONField(_("读取的表格"), default=dict)
    fixes = models.JSONField(_("修正"), default=dict, blank=True)

    objects = ImportDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("待确认的任务导入")
        verbose_name_plural = _("待确认的任务导入")
