from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wenming.org.roles import Role


class SupervisionConfig(AppConfig):
    name = "wenming.supervision"
    label = "supervision"
    todo = "wenming.supervision.todo.items"  # the 工作台's to-do lines (wenming.core.todo)
    verbose_name = "督办考核"
    # Sidebar entries: (order, label, url name, icon, roles); see wenming.site.context_processors.
    nav = [
        (15, _("领导驾驶舱"), "supervision:dashboard", "chart-column", {Role.OFFICE, Role.LEADER}),
        (96, _("督办考核"), "supervision:index", "siren", {Role.OFFICE, Role.LEADER, Role.LIAISON}),
    ]
