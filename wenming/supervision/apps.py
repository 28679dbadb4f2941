from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "wenming.supervision"
    label = "supervision"
    verbose_name = "督办考核"
    # Sidebar entries: (order, label, url name, icon, roles); see wenming.core.context_processors.
    nav = []
