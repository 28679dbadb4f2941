from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "wenming.publicity"
    label = "publicity"
    verbose_name = "宣传报道"
    # Sidebar entries: (order, label, url name, icon, roles); see wenming.core.context_processors.
    nav = []
