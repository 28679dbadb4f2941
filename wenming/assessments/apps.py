from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "wenming.assessments"
    label = "assessments"
    verbose_name = "自查与测评"
    # Sidebar entries: (order, label, url name, icon, roles); see wenming.core.context_processors.
    nav = []
