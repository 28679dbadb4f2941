from django.apps import AppConfig
from django.db.backends.signals import connection_created


class AuditConfig(AppConfig):
    name = "wenming.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from wenming.audit import receivers  # noqa: F401  (sign-in events come from Django's signals)
        from wenming.audit.guard import register_sqlite_function
        from wenming.audit.services import audit_record
        from wenming.core import trail

        trail.recorder_set(audit_record)  # core and org record through wenming.core.trail

        connection_created.connect(register_sqlite_function, dispatch_uid="wenming-audit-purge-function")
