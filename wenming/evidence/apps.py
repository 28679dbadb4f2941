from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "wenming.evidence"
    label = "evidence"
    todo = "wenming.evidence.todo.items"  # the 工作台's to-do lines (wenming.core.todo)
    verbose_name = "创建材料"

    def ready(self):
        from wenming.campaigns import extras
        from wenming.core.recycle import recycle_register
        from wenming.evidence import selectors
        from wenming.evidence.models import Evidence

        extras.on_task_page("evidence", selectors.task_evidence)
        extras.on_my_work("returned_evidence", selectors.returned_evidence)
        recycle_register(Evidence, label="创建材料", unit_path="campaign__unit")
