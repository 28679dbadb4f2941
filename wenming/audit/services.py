"""Writing the audit trail. Call inside the transaction of the change being recorded."""

from collections.abc import Callable
from contextlib import contextmanager

from django.db import models

from wenming.audit import chain
from wenming.audit.models import AuditEvent
from wenming.core.errors import check_version
from wenming.core.trail import Origin

__all__ = ["Origin", "audit_record"]


def audit_record(
    *,
    actor,
    verb: str,
    obj: models.Model | None = None,
    unit=None,
    before: dict | None = None,
    after: dict | None = None,
    origin: Origin | None = None,
    actor_name: str = "",
) -> AuditEvent:
    origin = origin or Origin()
    actor_user = actor if getattr(actor, "pk", None) else None
    if unit is None:
        unit = getattr(obj, "unit", None) if obj is not None else None
        if unit is None and actor_user is not None:
            unit = actor_user.unit
    event = AuditEvent(
        actor=actor_user,
        actor_name=actor_name or (f"{actor_user.real_name}（{actor_user.username}）" if actor_user else ""),
        unit=unit,
        verb=verb,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        before=before,
        after=after,
        ip=origin.ip,
        request_id=origin.request_id,
    )
    chain.append(event)
    return event


@contextmanager
def audited_update(queryset, pk, *, actor, verb: str, snapshot: Callable[[models.Model], dict],
                   expected_version: int | None = None, origin: Origin | None = None, unit=None, lock_of=()):
    """The skeleton of a service that changes one row, in the caller's transaction: the row locked, a stale version
    refused (`check_version`), how it was noted; the `with` body changes it; then it is checked (`full_clean`),
    saved, and the audit row written with before and after (`unit`: the row's own unit unless given; `lock_of`:
    the tables to lock when the query joins nullable relations, as `select_for_update(of=...)`)."""
    row = queryset.select_for_update(of=lock_of).get(pk=pk)
    check_version(row, expected_version)
    before = snapshot(row)
    yield row
    row.full_clean()
    row.save()
    audit_record(actor=actor, verb=verb, obj=row, unit=row.unit if unit is None else unit, before=before,
                 after=snapshot(row), origin=origin)


def assign(row: models.Model, values: dict, names) -> None:
    """Set each of the named fields that `values` gives (text stripped); the others stay as they are."""
    for name in names:
        if name in values:
            value = values[name]
            setattr(row, name, value.strip() if isinstance(value, str) else value)
