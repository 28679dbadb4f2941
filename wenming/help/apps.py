from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpConfig(AppConfig):
    name = "wenming.help"
    label = "help"
    verbose_name = "操作手册"
    # Sidebar entries: (order, label, url name, icon, roles); see wenming.site.context_processors. Everyone signed in.
    nav = [(890, _("操作手册"), "help:index", "info", None)]
