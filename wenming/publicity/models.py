"""宣传报道 (seed 六(四)): the publicity ledger with its monthly targets, reports to superiors (向上级报送) and the
library of other units' good practice (学习外单位经验)."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wenming.core.models import UnitOwned, Versioned
from wenming.core.recycle import Recyclable
from wenming.publicity.querysets import (
    PracticeQuerySet,
    PublicityItemQuerySet,
    PublicityTargetQuerySet,
    SuperiorReportQuerySet,
)


def upload_path(instance, filename: str) -> str:
    """Stored under a random name; the original name lives only in the database."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"publicity/{instance._meta.model_name}/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{ext}"


class Channel(models.TextChoices):
    WECHAT = "wechat", _("微信公众号")
    INTRANET = "intranet", _("内网")
    INTERNET = "internet", _("外网")
    PRESS = "press", _("报刊")
    TV = "tv", _("电视")
    NEW_MEDIA = "new_media", _("新媒体")


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")
    UNIT = "unit", _("本单位")


class PublicityItem(Recyclable, Versioned, UnitOwned):
    """宣传报道: one piece published about the campaign (a WeChat post, an intranet news item, a newspaper article).

    Its screenshot or link is also filed as 创建材料 (`evidence`) for the chosen criteria, so the office enters it
    once and it serves the ledger and the gap view alike.
    """

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="publicity_items",
                                 verbose_name=_("创建活动"))
    channel = models.CharField(_("宣传渠道"), max_length=20, choices=Channel.choices)
    level = models.CharField(_("媒体级别"), max_length=20, choices=Level.choices,
                             help_text=_("本单位内网、公众号选“本单位”。"))
    title = models.CharField(_("标题"), max_length=200)
    published_on = models.DateField(_("发布日期"))
    outlet = models.CharField(_("刊发媒体"), max_length=100, blank=True, help_text=_("如“某某日报”“市法院微信公众号”。"))
    link = models.URLField(_("链接"), max_length=1000, blank=True)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="publicity_items", verbose_name=_("供稿部门"))
    author = models.CharField(_("作者"), max_length=100, blank=True)
    criteria = models.ManyToManyField("standards.Criterion", blank=True, related_name="publicity_items",
                                      verbose_name=_("测评指标"))
    evidence = models.OneToOneField("evidence.Evidence", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="publicity_item", verbose_name=_("创建材料"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = PublicityItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("宣传报道")
        verbose_name_plural = _("宣传报道")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["campaign", "published_on"], name="publicity_item_campaign_date")]

    def __str__(self) -> str:
        return self.title


class PublicityTarget(Versioned):
    """宣传目标: what the standard asks per month (e.g. “每月至少1篇”), for one channel and/or level or for all."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="publicity_targets",
                                 verbose_name=_("创建活动"))
    channel = models.CharField(_("宣传渠道"), max_length=20, choices=Channel.choices, blank=True,
                               help_text=_("不填表示所有渠道。"))
    level = models.CharField(_("媒体级别"), max_length=20, choices=Level.choices, blank=True,
                             help_text=_("不填表示所有级别。"))
    per_month = models.PositiveSmallIntegerField(_("每月至少（篇）"),
                                                 validators=[MinValueValidator(1), MaxValueValidator(999)])
    note = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("如测评细则中的原文“每月至少1篇”。"))

    objects = PublicityTargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("宣传目标")
        verbose_name_plural = _("宣传目标")
        ordering = ["channel", "level", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "channel", "level"], name="publicity_target_unique",
                                    violation_error_message=_("这个渠道和级别已经设过目标，请直接修改。")),
            models.CheckConstraint(condition=Q(per_month__gte=1), name="publicity_target_at_least_one",
                                   violation_error_message=_("每月目标至少为 1 篇。")),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        parts = [str(self.get_channel_display()) if self.channel else "", str(self.get_level_display()) if self.level else ""]
        scope = " · ".join(p for p in parts if p) or str(_("全部宣传"))
        return f"{scope}（{_('每月至少')} {self.per_month} {_('篇')}）"

    def matches(self, channel: str, level: str) -> bool:
        return (not self.channel or self.channel == channel) and (not self.level or self.level == level)


class SuperiorReport(Recyclable, Versioned, UnitOwned):
    """向上级报送: information sent up (to the city's 文明办, the higher court …), and whether it was adopted."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="superior_reports",
                                 verbose_name=_("创建活动"))
    recipient = models.CharField(_("报送单位"), max_length=100, help_text=_("如“市文明办”“上级法院”。"))
    title = models.CharField(_("标题"), max_length=200)
    reported_on = models.DateField(_("报送日期"))
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices, default=Level.CITY)
    adopted = models.BooleanField(_("是否被采用"), default=False)
    adopted_note = models.CharField(_("采用情况"), max_length=200, blank=True,
                                    help_text=_("如“市文明办《创建简报》第12期采用”。"))
    file = models.FileField(_("文件"), upload_to=upload_path, max_length=255, blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    file_mime = models.CharField(_("媒体类型"), max_length=100, blank=True)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="superior_reports", verbose_name=_("报送部门"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = SuperiorReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("向上级报送")
        verbose_name_plural = _("向上级报送")
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Practice(Recyclable, Versioned):
    """经验做法: a good practice learnt from another unit, kept in the unit's library across campaigns."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="practices", verbose_name=_("单位"))
    source_unit = models.CharField(_("来源单位"), max_length=100)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("主要做法"), max_length=5000)
    tags = models.CharField(_("标签"), max_length=200, blank=True, help_text=_("用逗号分隔，如“志愿服务,道德讲堂”。"))
    link = models.URLField(_("链接"), max_length=1000, blank=True)
    file = models.FileField(_("文件"), upload_to=upload_path, max_length=255, blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    file_mime = models.CharField(_("媒体类型"), max_length=100, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("添加人"))
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("经验做法")
        verbose_name_plural = _("经验做法")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]
