from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wenming.org.roles import Role


class ReportsConfig(AppConfig):
    name = "wenming.reports"
    label = "reports"
    verbose_name = "创建报告"
    # Sidebar entries: (order, label, url name, icon, roles); see wenming.site.context_processors.
    nav = [(97, _("创建报告"), "reports:index", "file-text", {Role.OFFICE, Role.LEADER})]

    def ready(self):
        from wenming.core.recycle import recycle_register
        from wenming.reports.models import ReportTemplate

        recycle_register(ReportTemplate, label="报告模板", unit_path="unit")
