from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "wenming.notifications"
    label = "notifications"
    verbose_name = "通知"
    # Sidebar entries: (order, label, url name, icon, roles); see wenming.core.context_processors.
    nav = []
