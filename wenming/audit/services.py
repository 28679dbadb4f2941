"""Writing the audit trail. Call inside the transaction of the change being recorded."""

from django.db import models

from wenming.audit import chain
from wenming.audit.models import AuditEvent
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
