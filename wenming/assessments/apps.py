from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wenming.org.roles import Role


class AssessmentsConfig(AppConfig):
    name = "wenming.assessments"
    label = "assessments"
    todo = "wenming.assessments.todo.items"  # the 工作台's to-do lines (wenming.core.todo)
    verbose_name = "自查与测评"
    # Sidebar entries: (order, label, url name, icon, roles); see wenming.site.context_processors.
    nav = [
        (95, _("自查测评"), "assessments:index", "clipboard-list",
         {Role.OFFICE, Role.LEADER, Role.LIAISON, Role.STAFF, Role.EVALUATOR}),
        (96, _("整改台账"), "assessments:ledger_index", "clipboard-check",
         {Role.OFFICE, Role.LEADER, Role.LIAISON, Role.STAFF}),
    ]

    def ready(self):
        from wenming.assessments.models import Finding, Rectification
        from wenming.core.recycle import recycle_register

        recycle_register(Finding, label="测评问题", unit_path="assessment__campaign__unit")
        recycle_register(Rectification, label="整改事项", unit_path="campaign__unit")
