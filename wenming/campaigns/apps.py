from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "wenming.campaigns"
    label = "campaigns"
    todo = "wenming.campaigns.todo.items"  # the 工作台's to-do lines (wenming.core.todo)
    verbose_name = "创建活动"

    def ready(self) -> None:
        from wenming.campaigns.models import Task
        from wenming.core.recycle import recycle_register

        recycle_register(Task, label="工作任务", unit_path="campaign__unit")
