"""工作经费 (seed 六(二)): the campaign's budget lines and what was spent against them, with receipts."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wenming.core.models import UnitOwned, Versioned
from wenming.core.recycle import Recyclable
from wenming.funding.querysets import BudgetLineQuerySet, ExpenseQuerySet, ReceiptQuerySet


def receipt_path(instance, filename: str) -> str:
    """Stored under a random name; the original name lives only in the database."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"funding/receipts/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{ext}"


class BudgetLine(Recyclable, Versioned, UnitOwned):
    """经费预算: one line of a campaign's budget (宣传品制作, 文体活动 …), optionally tied to a phase."""

    class Category(models.TextChoices):
        PUBLICITY = "publicity", _("宣传品制作")
        CULTURE = "culture", _("文体活动")
        VOLUNTEER = "volunteer", _("志愿服务")
        FACILITIES = "facilities", _("阵地建设")
        TRAINING = "training", _("培训")
        OTHER = "other", _("其他")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="budget_lines",
                                 verbose_name=_("创建活动"))
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    title = models.CharField(_("预算项目"), max_length=120, help_text=_("如“文明创建宣传展板制作”。"))
    amount = models.DecimalField(_("预算金额（元）"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    phase = models.ForeignKey("campaigns.Phase", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="budget_lines", verbose_name=_("阶段"))
    note = models.TextField(_("备注"), blank=True, max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("经费预算")
        verbose_name_plural = _("经费预算")
        ordering = ["category", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_budgetline_amount_not_negative",
                                   violation_error_message=_("预算金额不能为负数。")),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.title}"


class Expense(Recyclable, Versioned, UnitOwned):
    """经费支出: money paid out of one budget line, entered by the 创建办 with its receipts (票据)."""

    unit_path = "budget_line__campaign__unit"

    # Binning a line hides its expenses; purging it from the bin for good takes them along (never a 500).
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="expenses",
                                    verbose_name=_("预算项目"))
    spent_on = models.DateField(_("支出日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    payee = models.CharField(_("收款方"), max_length=120)
    purpose = models.CharField(_("用途"), max_length=300)
    activity = models.ForeignKey("activities.Activity", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="expenses", verbose_name=_("关联活动"))
    note = models.TextField(_("备注"), blank=True, max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = ExpenseQuerySet.as_manager()

    class Meta:
        verbose_name = _("经费支出")
        verbose_name_plural = _("经费支出")
        ordering = ["-spent_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_expense_amount_positive",
                                   violation_error_message=_("支出金额必须大于 0。")),
        ]
        indexes = [models.Index(fields=["budget_line", "spent_on"], name="funding_expense_line_date")]

    def __str__(self) -> str:
        return f"{self.spent_on:%Y-%m-%d} · {self.purpose[:40]}"


class Receipt(models.Model):
    """票据: a scan or photo of an invoice, checked by content like every upload, never replaced."""

    expense = models.ForeignKey(Expense, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("经费支出"))
    file = models.FileField(_("文件"), upload_to=receipt_path, max_length=255)
    name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    file_type = models.CharField(_("类型"), max_length=10)
    mime = models.CharField(_("媒体类型"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("票据")
        verbose_name_plural = _("票据")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
