from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wenming.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from wenming.core import memo  # noqa: F401 — watches every connection's writes from its first query
