from django.db import models


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
