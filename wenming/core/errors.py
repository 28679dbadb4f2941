from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ConcurrentEditError(ValidationError):
    """The record changed since the form was opened; the second save must not overwrite the first."""

    def __init__(self, current=None):
        super().__init__(_("此记录已被他人修改，请刷新后再保存。"), code="stale")
        self.current = current


def check_version(obj, expected_version: int | None) -> None:
    """Raise if the row (already locked by select_for_update) moved on since `expected_version`."""
    if expected_version is not None and obj.version != expected_version:
        raise ConcurrentEditError(current=obj)
    obj.version += 1
