"""通知: in-app notifications, their delivery by email and group robots, preferences, reminders and 通知公告."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.models import Versioned
from wenming.core.recycle import Recyclable
from wenming.notifications.querysets import (
    AnnouncementQuerySet,
    DeliveryQuerySet,
    NotificationQuerySet,
    UnitScopedQuerySet,
)


class Notification(models.Model):
    """站内通知: one message to one person about one event (a task assigned, evidence returned, an announcement).

    `read_at` empty means unread. Email and group-robot delivery are recorded in `Delivery`."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("接收人"))
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name=_("单位"))
    verb = models.CharField(_("事件"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True, max_length=5000)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("发起人"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_read")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(Versioned):
    """个人通知设置:站内通知总是开启; email immediately, as a weekly digest (the default) or not at all; for the
    创建办, evidence submitted for review as one summary a day (the default) or a notice per submission.

    No row means the defaults."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("每周汇总（默认）")
        IMMEDIATE = "immediate", _("即时发送")
        OFF = "off", _("不发送")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_pref",
                                verbose_name=_("人员"))
    class ReviewNotice(models.TextChoices):
        DAILY = "daily", _("每日汇总一次（默认）")
        IMMEDIATE = "immediate", _("每次提交即时通知")

    email_frequency = models.CharField(_("邮件通知"), max_length=20, choices=Frequency.choices,
                                       default=Frequency.WEEKLY)
    review_notice = models.CharField(_("材料提交审核的通知"), max_length=20, choices=ReviewNotice.choices,
                                     default=ReviewNotice.DAILY,
                                     help_text=_("创建办：有材料提交审核时，每天汇总通知一次，或每次提交即时通知。"))

    class Meta:
        verbose_name = _("个人通知设置")
        verbose_name_plural = _("个人通知设置")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_email_frequency_display()}"


class UnitSettings(Versioned):
    """单位通知设置: how many days before a deadline reminders go out (default 3)."""

    unit = models.OneToOneField("org.Unit", on_delete=models.CASCADE, related_name="notification_settings",
                                verbose_name=_("单位"))
    reminder_days = models.PositiveSmallIntegerField(
        _("提前几天提醒"), default=3, validators=[MinValueValidator(0), MaxValueValidator(60)],
        help_text=_("任务到期前几天提醒责任人；逾期后每天提醒一次。"),
    )

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位通知设置")
        verbose_name_plural = _("单位通知设置")

    def __str__(self) -> str:
        return str(self.unit)


class WebhookEndpoint(Versioned):
    """群机器人: a 企业微信, 钉钉 or 飞书 group robot of a unit, receiving all events or the chosen ones."""

    class Platform(models.TextChoices):
        WECOM = "wecom", _("企业微信")
        DINGTALK = "dingtalk", _("钉钉")
        FEISHU = "feishu", _("飞书")

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="webhook_endpoints",
                             verbose_name=_("单位"))
    name = models.CharField(_("名称"), max_length=60, help_text=_("如“创建办工作群”。"))
    platform = models.CharField(_("平台"), max_length=20, choices=Platform.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True,
                              help_text=_("钉钉、飞书机器人开启“加签”时填写；企业微信不需要。"))
    verbs = models.JSONField(_("推送的事件"), default=list, blank=True, help_text=_("不选表示推送全部事件。"))
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="notifications_webhook_unique_name",
                                    violation_error_message=_("本单位已有同名的群机器人。")),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} · {self.name}"

    def wants(self, verb: str) -> bool:
        return self.is_active and (not self.verbs or verb in self.verbs)


class Delivery(models.Model):
    """发送记录: one email or one group-robot message, for a notification or a weekly digest, with its retries."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        WEBHOOK = "webhook", _("群机器人")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name=_("单位"))
    notification = models.ForeignKey(Notification, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="deliveries", verbose_name=_("通知"))
    is_digest = models.BooleanField(_("每周汇总"), default=False)
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("接收人"))
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="deliveries", verbose_name=_("群机器人"))
    target = models.CharField(_("发送对象"), max_length=200)
    subject = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notif_delivery_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.target}"


class ReminderLog(models.Model):
    """提醒记录: one reminder per person, item and day, so the reminder command may run as often as it likes."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("接收人"))
    item = models.CharField(_("事项"), max_length=60, help_text=_("如 task:12 或 occurrence:7。"))
    day = models.DateField(_("日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "item", "day"], name="notifications_reminder_once_a_day",
                                    violation_error_message=_("今天已提醒过。")),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.day}"


class Announcement(Recyclable, Versioned):
    """通知公告: posted by the 创建办 to the whole unit (no departments chosen) or to chosen departments."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="announcements",
                             verbose_name=_("单位"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), max_length=20000)
    departments = models.ManyToManyField("org.Department", blank=True, related_name="announcements",
                                         verbose_name=_("发送部门"), help_text=_("不选表示全单位。"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("发布人"))
    published_at = models.DateTimeField(_("发布时间"), db_index=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


def attachment_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"announcements/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{ext}"


class Attachment(models.Model):
    """公告附件: kept under a random name; the original name lives only in the database."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="attachments",
                                     verbose_name=_("通知公告"))
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    file_type = models.CharField(_("类型"), max_length=10)
    mime = models.CharField(_("媒体类型"), max_length=100)

    class Meta:
        verbose_name = _("公告附件")
        verbose_name_plural = _("公告附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ReadReceipt(models.Model):
    """阅读回执: the first time a person opened an announcement."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="receipts",
                                     verbose_name=_("通知公告"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("人员"))
    read_at = models.DateTimeField(_("阅读时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("阅读回执")
        verbose_name_plural = _("阅读回执")
        ordering = ["read_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="notifications_receipt_once",
                                    violation_error_message=_("已记录过阅读。")),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.announcement}"

