"""The audit trail's door for the layers below the audit app (core and org, DESIGN.md §2).

Core and org record what happened through `audit_record` here; the audit app, which stands above them, lends its
writer when it starts (`AuditConfig.ready` → `recorder_set`). An action must never go unrecorded: recording before
the writer is set fails loudly instead of passing in silence. Apps above the audit app may import
`wenming.audit.services` directly; both names lead to the same writer.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Origin:
    """Where an action came from: the client address and the request id."""

    ip: str | None = None
    request_id: str = ""

    @classmethod
    def from_request(cls, request) -> "Origin":
        if request is None:
            return cls()
        return cls(ip=request.META.get("REMOTE_ADDR") or None, request_id=getattr(request, "request_id", ""))


_writer: Callable | None = None


def recorder_set(writer: Callable) -> None:
    """Called once by the audit app when it starts."""
    global _writer
    _writer = writer


def audit_record(**kwargs):
    """Record one event in the audit trail (see `wenming.audit.services.audit_record` for the arguments); call it
    inside the transaction of the change being recorded."""
    if _writer is None:
        raise ImproperlyConfigured("The audit app is not installed: wenming.audit must be in INSTALLED_APPS.")
    return _writer(**kwargs)
