"""The evaluation standard (测评体系/测评细则): a versioned tree of criteria owned by one unit."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.models import UploadDraft, Versioned
from wenming.standards.querysets import (
    CriterionQuerySet,
    ImportDraftQuerySet,
    ImportTemplateQuerySet,
    StandardQuerySet,
)

# The methods inspectors use (DOMAIN.md); lines may name several. Other words are kept as written.
KNOWN_METHODS = ("查阅资料", "实地考察", "问卷调查", "网上申报", "听取汇报", "座谈", "征求意见", "网络查看", "明察暗访")


class Kind(models.TextChoices):
    SCORED = "scored", _("计分")
    DEDUCTION = "deduction", _("扣分制")
    BONUS = "bonus", _("加分")
    VETO = "veto", _("一票否决")


# Kinds whose points add up to the standard's total (a deduction line is worth its points, lost item by item).
COUNTED_KINDS = frozenset({Kind.SCORED, Kind.DEDUCTION})


class Standard(Versioned):
    """测评体系: one version of a standard. Published versions never change; editing makes the next version.

    All versions of one standard share `lineage`; `previous` is the version this one was copied from.
    """

    class Level(models.TextChoices):
        CITY = "city", _("市级")
        PROVINCE = "province", _("省级")
        NATIONAL = "national", _("全国")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="standards", verbose_name=_("所属单位"))
    name = models.CharField(_("名称"), max_length=200)
    issuer = models.CharField(_("发布机关"), max_length=100, blank=True)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices, default=Level.CITY)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    lineage = models.UUIDField(_("体系标识"), default=uuid.uuid4, editable=False, db_index=True)
    revision = models.PositiveIntegerField(_("版本"), default=1)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_versions",
        verbose_name=_("上一版本"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    total_points = models.DecimalField(_("总分"), max_digits=8, decimal_places=2, default=Decimal("0"))
    pass_score = models.DecimalField(
        _("达标分数"), max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    source = models.CharField(_("来源"), max_length=200, blank=True, help_text=_("导入的文件名或内置模板名称。"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("创建人"),
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("发布人"),
    )

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("测评体系")
        verbose_name_plural = _("测评体系")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lineage", "revision"], name="standards_standard_unique_revision",
                violation_error_message=_("该测评体系已有此版本号。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.revision}版）"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Criterion(Versioned):
    """测评项: a node of the standard's tree — a category, an indicator, a scored line or a local refinement.

    `key` stays the same when a new version copies the line, so versions can be compared line by line.
    """

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("测评体系"))
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("上级")
    )
    key = models.UUIDField(_("条目标识"), default=uuid.uuid4, editable=False)
    depth = models.PositiveSmallIntegerField(_("层级"), default=1)
    order = models.PositiveIntegerField(_("排序"), default=0)
    code = models.CharField(_("编号"), max_length=30, blank=True)
    title = models.CharField(_("测评内容"), max_length=1000)
    content = models.TextField(_("内容说明"), blank=True)
    scoring = models.TextField(_("评分标准"), blank=True)
    points = models.DecimalField(
        _("分值"), max_digits=7, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    per_item = models.BooleanField(_("按项计分"), default=False, help_text=_("如“2分/项”：分值为每项的分数。"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.SCORED)
    bonus_cap = models.DecimalField(
        _("加分上限"), max_digits=7, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    methods = models.JSONField(_("测评方法"), default=list, blank=True)
    materials = models.TextField(_("材料要求"), blank=True)
    department = models.CharField(_("建议提供材料部门"), max_length=200, blank=True)
    is_local = models.BooleanField(_("本单位细化"), default=False)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        verbose_name = _("测评项")
        verbose_name_plural = _("测评项")
        ordering = ["standard_id", "depth", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "key"], name="standards_criterion_unique_key",
                violation_error_message=_("同一测评体系中条目标识重复。"),
            ),
        ]
        indexes = [models.Index(fields=["standard", "parent", "order"], name="standards_criterion_tree")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()[:200]

    @property
    def counts(self) -> bool:
        return self.kind in COUNTED_KINDS


class ImportDraft(UploadDraft):
    """An uploaded standard waiting for its owner to confirm the preview. What is kept is the file's tables as
    read (within the limits of `wenming.core.tables`), never the upload itself; in the database, not on a local
    path, so any web node can show the preview. Expired drafts are purged on the next upload."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("单位"))
    tables = models.JSONField(_("读取的表格"), default=dict)
    mapping = models.JSONField(_("列对应"), null=True, blank=True)

    objects = ImportDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("待确认的导入")
        verbose_name_plural = _("待确认的导入")


class ImportTemplate(models.Model):
    """A column mapping fixed by hand on an import screen, kept under a name so the next file of the same shape
    (the same header) imports without fixing it again. For standards (测评体系) and task annexes (工作分解表)."""

    class Target(models.TextChoices):
        STANDARD = "standard", _("测评体系")
        TASKS = "tasks", _("工作任务分解表")

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("单位"))
    target = models.CharField(_("用于"), max_length=20, choices=Target.choices)
    name = models.CharField(_("模板名称"), max_length=100)
    signature = models.CharField(_("表头特征"), max_length=500, help_text=_("表头各列的文字，用来认出同样格式的文件。"))
    mapping = models.JSONField(_("列对应"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ImportTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入模板")
        verbose_name_plural = _("导入模板")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "target", "name"], name="standards_import_template_unique_name",
                                    violation_error_message=_("已有同名的导入模板。")),
        ]

    def __str__(self) -> str:
        return self.name
