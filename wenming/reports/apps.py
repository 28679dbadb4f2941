from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "wenming.reports"
    label = "reports"
    verbose_name = "创建报告"
    # Sidebar entries: (order, label, url name, icon, roles); see wenming.core.context_processors.
    nav = []
