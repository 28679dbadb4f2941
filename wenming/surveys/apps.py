from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wenming.org.roles import Role


class SurveysConfig(AppConfig):
    name = "wenming.surveys"
    label = "surveys"
    verbose_name = "问卷测评"
    # Sidebar entries: (order, label, url name, icon, roles); see wenming.site.context_processors.
    nav = [(76, _("问卷测评"), "surveys:list", "clipboard-list", {Role.OFFICE, Role.LEADER, Role.LIAISON, Role.STAFF})]
