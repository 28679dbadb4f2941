from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "wenming.notifications"
    label = "notifications"
    verbose_name = "通知"
    # Sidebar entries: (order, label, url name, icon, roles); see wenming.site.context_processors.
    nav = [(12, _("通知公告"), "notifications:announcements", "bell-ring", None)]

    def ready(self):
        from wenming.core.events import listen
        from wenming.core.recycle import recycle_register
        from wenming.notifications import events, services
        from wenming.notifications.models import Announcement

        recycle_register(Announcement, label="通知公告", unit_path="unit")
        # what the apps below tell (wenming.core.events), worded once in events.py
        listen("notify", services.notify)
        for name in ("task_assigned", "mentioned", "evidence_submitted", "evidence_returned", "inspection_assigned"):
            listen(name, getattr(events, name))
