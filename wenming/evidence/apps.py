from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "wenming.evidence"
    label = "evidence"
    verbose_name = "创建材料"

    def ready(self):
        from wenming.core.recycle import recycle_register
        from wenming.evidence.models import Evidence

        recycle_register(Evidence, label="创建材料", unit_path="campaign__unit")
