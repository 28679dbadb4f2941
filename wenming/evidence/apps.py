from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "wenming.evidence"
    label = "evidence"
    verbose_name = "创建材料"
