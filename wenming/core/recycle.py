"""The recycle bin (回收站): deleting moves a record here; the office restores it, or purges it, audited.

A model joins by inheriting `Recyclable` and calling `recycle_register(Model, ...)` in its app's `ready()`.
Its queryset's `visible_to` must leave out binned rows (`.alive()`); the bin reads them with `.in_bin()`.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenming.core.access import get_for_user
from wenming.core.trail import Origin, audit_record

DEFAULT_RETENTION_DAYS = 180


class RecyclableQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def in_bin(self):
        return self.filter(deleted_at__isnull=False)


class Recyclable(models.Model):
    """Soft deletion: `deleted_at` set means the record lies in the recycle bin."""

    deleted_at = models.DateTimeField(gettext_lazy("删除时间"), null=True, blank=True, db_index=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False,
        verbose_name=gettext_lazy("删除人"),
    )

    class Meta:
        abstract = True

    @property
    def in_bin(self) -> bool:
        return self.deleted_at is not None


@dataclass(frozen=True)
class BinEntry:
    """How the bin lists one model: its label and the path from a row to its unit."""

    model: type[models.Model]
    label: str
    unit_path: str  # e.g. "campaign__unit" — used to keep each unit's bin to itself

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


_REGISTRY: dict[str, BinEntry] = {}


def recycle_register(model: type[models.Model], *, label: str, unit_path: str) -> None:
    """Called from an app's `ready()`; the registry is rebuilt identically in every process."""
    entry = BinEntry(model=model, label=label, unit_path=unit_path)
    _REGISTRY[entry.key] = entry


def bin_entries() -> list[BinEntry]:
    return sorted(_REGISTRY.values(), key=lambda entry: entry.key)


def bin_entry(key: str) -> BinEntry | None:
    return _REGISTRY.get(key)


def retention_days() -> int:
    return getattr(settings, "WENMING_RECYCLE_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)


def _unit_of(entry: BinEntry, obj):
    value = obj
    for part in entry.unit_path.split("__"):
        value = getattr(value, part)
    return value


@transaction.atomic
def recycle_delete(*, actor, obj: Recyclable, origin: Origin | None = None) -> None:
    """Move to the bin. The row stays, with everything that points at it; nothing is lost."""
    entry = _entry_for(obj)
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    if locked.deleted_at is not None:
        return
    locked.deleted_at, locked.deleted_by = timezone.now(), actor
    locked.save(update_fields=["deleted_at", "deleted_by"])
    obj.deleted_at, obj.deleted_by = locked.deleted_at, actor
    audit_record(actor=actor, verb="recycle.deleted", obj=locked, unit=_unit_of(entry, locked),
                 after={"type": entry.label}, origin=origin)


def recycle_page(request, row: Recyclable, message: str, *then):
    """A delete button's POST, once `row` is fetched for change: the row moved to the bin, `message` shown, and the
    page `then` (a URL name and its arguments) opened."""
    recycle_delete(actor=request.user, obj=row, origin=Origin.from_request(request))
    messages.success(request, message)
    return redirect(*then)


def recycle_view(request, model: type[Recyclable], pk, message: str, then):
    """A delete button's POST by id: the row as the person may change it (404 outside what they may see, 403 where
    they may only read), then `recycle_page` to `then(row)`, a URL name and its arguments."""
    row, _can_edit = get_for_user(model.objects.visible_to(request.user), model.objects.editable_by(request.user), pk,
                                  need_edit=True)
    return recycle_page(request, row, message, *then(row))


@transaction.atomic
def recycle_restore(*, actor, obj: Recyclable, origin: Origin | None = None) -> None:
    entry = _entry_for(obj)
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    if locked.deleted_at is None:
        raise ValidationError(_("该记录不在回收站中。"))
    before = {"deleted_at": locked.deleted_at.isoformat()}
    locked.deleted_at, locked.deleted_by = None, None
    locked.save(update_fields=["deleted_at", "deleted_by"])
    obj.deleted_at, obj.deleted_by = None, None
    audit_record(actor=actor, verb="recycle.restored", obj=locked, unit=_unit_of(entry, locked), before=before,
                 after={"type": entry.label}, origin=origin)


@transaction.atomic
def recycle_purge(*, actor, obj: Recyclable, origin: Origin | None = None) -> None:
    """Delete for good. Only from the bin; the audit row keeps what it was."""
    entry = _entry_for(obj)
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    if locked.deleted_at is None:
        raise ValidationError(_("只能彻底删除回收站中的记录。"))
    audit_record(actor=actor, verb="recycle.purged", obj=locked, unit=_unit_of(entry, locked),
                 before={"type": entry.label, "title": str(locked)[:200], "deleted_at": locked.deleted_at.isoformat()},
                 origin=origin)
    locked.delete()


def recycle_purge_expired(*, now=None) -> int:
    """Purge what has lain in the bin longer than the retention period (a background job calls this)."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    purged = 0
    for entry in bin_entries():
        for obj in entry.model.objects.in_bin().filter(deleted_at__lt=cutoff).iterator():
            recycle_purge(actor=None, obj=obj)
            purged += 1
    return purged


def bin_items(*, unit, limit: int = 500) -> list[tuple[BinEntry, list]]:
    """What lies in one unit's bin, per registered model (a constant number of queries: one per model)."""
    result = []
    for entry in bin_entries():
        rows = list(
            entry.model.objects.in_bin().filter(**{entry.unit_path: unit})
            .select_related("deleted_by").order_by("-deleted_at")[:limit]
        )
        result.append((entry, rows))
    return result


def _entry_for(obj) -> BinEntry:
    entry = _REGISTRY.get(obj._meta.label_lower)
    if entry is None:
        raise ValueError(f"{obj._meta.label_lower} is not registered with the recycle bin")
    return entry
