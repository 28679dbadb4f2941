from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wenming.org.roles import Role

MEMBERS = {Role.OFFICE, Role.LEADER, Role.LIAISON, Role.STAFF}


class ActivitiesConfig(AppConfig):
    name = "wenming.activities"
    label = "activities"
    todo = "wenming.activities.todo.items"  # the 工作台's to-do lines (wenming.core.todo)
    verbose_name = "创建活动记录"
    # Sidebar entries: (order, label, url name, icon, roles); see wenming.site.context_processors.
    nav = [
        (72, _("活动与会议"), "activities:list", "calendar-days", MEMBERS),
        (74, _("志愿服务"), "activities:volunteers", "hand-helping", MEMBERS),
    ]

    def ready(self):
        from wenming.activities.models import Activity
        from wenming.core.recycle import recycle_register

        recycle_register(Activity, label="活动与会议", unit_path="campaign__unit")
