"""督办考核 (seed 六(一)): per-unit settings for warnings and ranking weights, and the 督办单 with its rounds."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wenming.core.models import Versioned
from wenming.supervision.querysets import OrderQuerySet, SettingsQuerySet

WEIGHT = {"max_digits": 6, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(1000)]}


class SupervisionSettings(Versioned):
    """One unit's settings for warnings (黄灯提前天数) and the department assessment's weights (考核权重).

    得分 = 按时完成率(%) × 完成权重 − 退回次数 × 退回权重 − 逾期天数 × 逾期权重 − 未完成整改 × 整改权重"""

    unit = models.OneToOneField("org.Unit", on_delete=models.CASCADE, related_name="supervision_settings",
                                verbose_name=_("单位"))
    warn_days = models.PositiveSmallIntegerField(
        _("黄灯提前天数"), default=3, validators=[MinValueValidator(0), MaxValueValidator(60)],
        help_text=_("距完成时限不超过这些天（含当天）亮黄灯。"))
    weight_on_time = models.DecimalField(_("按时完成率权重"), default=Decimal("1.00"), **WEIGHT,
                                         help_text=_("按时完成率（0–100）乘以此权重计入得分。"))
    weight_returns = models.DecimalField(_("材料退回扣分"), default=Decimal("1.00"), **WEIGHT,
                                         help_text=_("每退回一次材料扣的分数。"))
    weight_overdue_days = models.DecimalField(_("逾期天数扣分"), default=Decimal("0.20"), **WEIGHT,
                                              help_text=_("未完成任务每逾期一天扣的分数。"))
    weight_open_rectifications = models.DecimalField(_("未完成整改扣分"), default=Decimal("2.00"), **WEIGHT,
                                                     help_text=_("每项未完成的整改扣的分数。"))

    objects = SettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办考核设置")
        verbose_name_plural = _("督办考核设置")

    def __str__(self) -> str:
        return str(self.unit)


class OrderCounter(models.Model):
    """The last 督办单 number handed out per unit and year; its row is locked while a number is taken."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("单位"))
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用到的编号"), default=0)

    class Meta:
        verbose_name = _("督办单编号")
        verbose_name_plural = _("督办单编号")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="supervision_counter_unique_year",
                                    violation_error_message=_("该年度的编号计数已存在。")),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.last}"


class SupervisionOrder(Versioned):
    """督办单: the office or a leader presses a department on an overdue task or a rectification item, with a
    deadline and a request; the department's liaison answers with what was done and evidence; the issuer closes it
    or sends it back with a reason. Numbered per unit and year: 督办〔2026〕第3号. Every round is kept."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("待答复")
        ANSWERED = "answered", _("已答复待确认")
        RETURNED = "returned", _("已退回待重新答复")
        CLOSED = "closed", _("已办结")

    OPEN_STATUSES = (Status.ISSUED, Status.ANSWERED, Status.RETURNED)

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="supervision_orders",
                                 verbose_name=_("创建活动"))
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("编号"))
    task = models.ForeignKey("campaigns.Task", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="supervision_orders", verbose_name=_("督办任务"))
    rectification = models.ForeignKey("assessments.Rectification", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="supervision_orders", verbose_name=_("督办整改事项"))
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="supervision_orders",
                                   verbose_name=_("承办部门"))
    deadline = models.DateField(_("办理时限"))
    request = models.TextField(_("督办事项及要求"), max_length=2000)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ISSUED)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("督办人"))
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    answered_at = models.DateTimeField(_("最近答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering = ["-year", "-number"]
        indexes = [models.Index(fields=["unit", "status"], name="supervision_order_unit_status")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="supervision_order_unique_number",
                                    violation_error_message=_("该年度已有同号督办单。")),
            models.CheckConstraint(condition=Q(task__isnull=False, rectification__isnull=True)
                                   | Q(task__isnull=True, rectification__isnull=False),
                                   name="supervision_order_one_target",
                                   violation_error_message=_("督办单须针对一项任务或一项整改（只能选其一）。")),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"督办〔{self.year}〕第{self.number}号"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def target(self):
        return self.task or self.rectification

    @property
    def target_title(self) -> str:
        if self.task_id:
            return self.task.title
        return str(self.rectification) if self.rectification_id else ""


class OrderRound(models.Model):
    """One step of a 督办单: issued, answered (with evidence), sent back (with the reason) or closed."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("签发")
        ANSWERED = "answered", _("答复")
        RETURNED = "returned", _("退回")
        CLOSED = "closed", _("办结")

    order = models.ForeignKey(SupervisionOrder, on_delete=models.CASCADE, related_name="rounds",
                              verbose_name=_("督办单"))
    kind = models.CharField(_("环节"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("内容"), max_length=4000, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("办理人"))
    evidence = models.ManyToManyField("evidence.Evidence", blank=True, related_name="+", verbose_name=_("佐证材料"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order} · {self.get_kind_display()}"

