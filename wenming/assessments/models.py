"""自查与测评: assessments of a campaign (自查/模拟测评/检查验收), their line scores, findings and 整改.

The arithmetic lives in `wenming.assessments.scoring` (pure, no database); these models only store what people
entered. Every row people edit carries `version` for optimistic locking (per line for scores, so that two people
scoring the same assessment never overwrite each other silently).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wenming.assessments.querysets import (
    AssessmentQuerySet,
    FindingQuerySet,
    RectificationQuerySet,
    ScoreQuerySet,
)
from wenming.core.models import UnitOwned, Versioned
from wenming.core.recycle import Recyclable


def default_grade_scale() -> dict:
    return {"A": 100, "B": 66, "C": 33, "D": 0}


class Assessment(Versioned, UnitOwned):
    """一次测评: a self-check (自查), a mock assessment (模拟测评) or the inspection (检查验收) of a campaign.

    `team` are the people who score; for an inspection they are the evaluators of the 文明办, and being on the team
    is what assigns a campaign to an evaluator. Status runs draft → in_progress → submitted → locked.
    """

    class Kind(models.TextChoices):
        SELF_CHECK = "self_check", _("自查")
        MOCK = "mock", _("模拟测评")
        INSPECTION = "inspection", _("检查验收")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        IN_PROGRESS = "in_progress", _("评分中")
        SUBMITTED = "submitted", _("已提交")
        LOCKED = "locked", _("已锁定")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="assessments",
                                 verbose_name=_("创建活动"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.SELF_CHECK)
    title = models.CharField(_("名称"), max_length=200)
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="assessment_teams",
                                  verbose_name=_("评分人员"), help_text=_("检查验收时为测评员。"))
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    grade_scale = models.JSONField(_("等次折算比例"), default=default_grade_scale, blank=True,
                                   help_text=_("各等次得分占该项分值的百分比，如 A=100、B=66、C=33、D=0。"))
    allow_not_applicable = models.BooleanField(_("允许不适用项"), default=True,
                                               help_text=_("不适用的测评项不计入总分，总分按比例折算。"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("提交人"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("测评")
        verbose_name_plural = _("测评")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assessments_assessment_dates_ordered",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_inspection(self) -> bool:
        return self.kind == self.Kind.INSPECTION

    @property
    def is_open(self) -> bool:
        """Scores may still change."""
        return self.status in (self.Status.DRAFT, self.Status.IN_PROGRESS)


class Score(Versioned, UnitOwned):
    """一行评分: the score of one criterion in one assessment; saved line by line, each with its own version."""

    unit_path = "assessment__campaign__unit"

    class Grade(models.TextChoices):
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"
        D = "D", "D"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores",
                                   verbose_name=_("测评"))
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("测评项"))
    # two places: a standard may count in hundredths ("少一次扣1.25分"); the step a line takes is the standard's
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)])
    grade = models.CharField(_("等次"), max_length=1, choices=Grade.choices, blank=True)
    missing = models.PositiveIntegerField(_("缺项数"), null=True, blank=True,
                                          help_text=_("扣分制：缺少的项数，每项按评分标准扣分，扣完为止。"))
    triggered = models.BooleanField(_("触发否决"), default=False, help_text=_("一票否决项：存在否决情形。"))
    not_applicable = models.BooleanField(_("不适用"), default=False)
    note = models.TextField(_("备注"), blank=True, max_length=2000)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("评分人"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        ordering = ["assessment_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="assessments_score_unique_line",
                                    violation_error_message=_("该测评项在本次测评中已有评分。")),
            models.CheckConstraint(condition=Q(points__isnull=True) | Q(points__gte=0),
                                   name="assessments_score_points_not_negative",
                                   violation_error_message=_("得分不能为负数。")),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.criterion_id}"


class Finding(Recyclable, Versioned, UnitOwned):
    """问题: something found wanting on a line during an assessment; it becomes one or more 整改 items."""

    unit_path = "assessment__campaign__unit"

    class Severity(models.TextChoices):
        MINOR = "minor", _("一般")
        MAJOR = "major", _("较重")
        SERIOUS = "serious", _("严重")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="findings",
                                   verbose_name=_("测评"))
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("测评项"))
    description = models.TextField(_("问题描述"), max_length=4000)
    severity = models.CharField(_("严重程度"), max_length=20, choices=Severity.choices, default=Severity.MINOR)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("提出人"))
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["assessment_id", "id"]

    def __str__(self) -> str:
        return self.description[:80]


class Rectification(Recyclable, Versioned, UnitOwned):
    """整改: one item to put right, owned by a department, with a deadline; closed (销号) by the 创建办 once the
    department's response and closing evidence are verified, or sent back.

    `due_on` and `status` are read by supervision (红黄绿 lights) — do not rename them.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        SUBMITTED = "submitted", _("待核验")
        CLOSED = "closed", _("已销号")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="rectifications",
                                verbose_name=_("问题"))
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="rectifications",
                                 verbose_name=_("创建活动"))
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="rectifications",
                                   verbose_name=_("责任部门"))
    requirement = models.TextField(_("整改要求"), blank=True, max_length=4000)
    due_on = models.DateField(_("整改时限"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    measures = models.TextField(_("整改措施及结果"), blank=True, max_length=4000)
    evidence = models.ManyToManyField("evidence.Evidence", blank=True, related_name="rectifications",
                                      verbose_name=_("佐证材料"))
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("反馈人"))
    responded_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("核验人"))
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("交办人"))
    created_at = models.DateTimeField(_("交办时间"), auto_now_add=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["campaign", "status"], name="assessments_rect_status"),
            models.Index(fields=["department", "status"], name="assessments_rect_dept"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status="closed") | Q(closed_at__isnull=False),
                                   name="assessments_rect_closed_has_time",
                                   violation_error_message=_("已销号的整改事项必须有销号时间。")),
        ]

    def __str__(self) -> str:
        return (self.requirement or _("整改事项 %(n)s") % {"n": self.pk})[:80]

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED
