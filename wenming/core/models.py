import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Revision(models.Model):
    """One row counting committed writes to the application's data (`wenming.core.memo`): read models computed
    from the data are kept in memory under the count they were computed at, so every process sees a write made by
    any other process as soon as it commits."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self) -> str:
        return str(self.value)


class Versioned(models.Model):
    """A row edited by several people at once: every change carries the `version` it read and a stale one is
    refused (`wenming.core.errors.check_version`, the screens' side-by-side `stale_save`, the API's 409)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class UnitOwned(models.Model):
    """A row that belongs to one unit through the record it hangs from: `unit_path` names the way there
    (`"campaign__unit"`), and `unit` follows it. Rows with their own `unit` column do not need this."""

    unit_path = "campaign__unit"

    class Meta:
        abstract = True

    @property
    def unit(self):
        owner = self
        for name in self.unit_path.split("__"):
            owner = getattr(owner, name)
        return owner


class UploadDraft(models.Model):
    """An upload waiting for its owner to check the preview and confirm (a standard, a task annex, volunteer
    hours): kept in the database under a random token, so any web node can show it, until `expires_at`. Each kind
    adds what it keeps of the file and where the rows will go."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("上传人"))
    filename = models.CharField(_("文件名"), max_length=200)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.filename

    @classmethod
    def fresh(cls, *, lifetime: timedelta, **fields):
        """A new draft (not saved yet) that lives for `lifetime`; expired drafts of this kind, which nobody can
        open any more, are purged on the way."""
        now = timezone.now()
        cls._default_manager.filter(expires_at__lte=now).delete()
        return cls(expires_at=now + lifetime, **fields)
