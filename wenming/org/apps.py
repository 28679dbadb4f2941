from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "wenming.org"
    label = "org"
    verbose_name = "组织与人员"

    def ready(self) -> None:
        from wenming.org import receivers  # noqa: F401  (sign-in signal)
