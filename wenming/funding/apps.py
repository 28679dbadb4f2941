from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "wenming.funding"
    label = "funding"
    verbose_name = "工作经费"
    # Sidebar entries: (order, label, url name, icon, roles); see wenming.core.context_processors.
    nav = []
