from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "wenming.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from wenming.audit import receivers  # noqa: F401  (sign-in events come from Django's signals)
