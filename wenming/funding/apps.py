from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wenming.org.roles import Role


class FundingConfig(AppConfig):
    name = "wenming.funding"
    label = "funding"
    verbose_name = "工作经费"
    # Sidebar entries: (order, label, url name, icon, roles); see wenming.site.context_processors.
    nav = [(76, _("工作经费"), "funding:index", "wallet", {Role.OFFICE, Role.LEADER})]

    def ready(self):
        from wenming.core.recycle import recycle_register
        from wenming.funding.models import BudgetLine, Expense

        recycle_register(BudgetLine, label="经费预算", unit_path="campaign__unit")
        recycle_register(Expense, label="经费支出", unit_path="budget_line__campaign__unit")
