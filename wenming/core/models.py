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
