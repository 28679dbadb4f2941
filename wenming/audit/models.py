"""The audit trail (操作日志): append-only, written by services in the same transaction as the change."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.audit.querysets import AuditEventQuerySet


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """One thing someone did: who, what, to which object, before and after, from where, when."""

    # Set when the row is made (not on save), so that the hash chain covers the very time that is stored.
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("单位")
    )
    verb = models.CharField(_("操作"), max_length=60, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    # The hash chain (wenming.audit.chain): the previous row's hash, and this row's over its content and that.
    chain_prev = models.CharField(_("前一条的哈希"), max_length=64, blank=True, db_default="", editable=False)
    chain_hash = models.CharField(_("链接哈希"), max_length=64, blank=True, db_default="", editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计日志")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "-created_at"], name="audit_unit_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.verb} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能删除。")

    @property
    def verb_label(self) -> str:
        from wenming.audit.verbs import verb_labels

        return str(verb_labels().get(self.verb, self.verb))


class AuditChainHead(models.Model):
    """The end of the audit hash chain: the last row's id and hash, updated with every row appended. Its row lock
    orders concurrent writers; it shows when rows were cut off the end of the log."""

    last_event_id = models.BigIntegerField(_("最后一条的编号"), null=True, blank=True)
    last_hash = models.CharField(_("最后一条的哈希"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("审计日志链头")
        verbose_name_plural = _("审计日志链头")

    def __str__(self) -> str:
        return f"{self.last_event_id} {self.last_hash[:12]}"
