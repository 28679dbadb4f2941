from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wenming.org.roles import Role


class PublicityConfig(AppConfig):
    name = "wenming.publicity"
    label = "publicity"
    verbose_name = "宣传报道"
    # Sidebar entries: (order, label, url name, icon, roles); see wenming.site.context_processors.
    nav = [(78, _("宣传报道"), "publicity:index", "megaphone", {Role.OFFICE, Role.LEADER, Role.LIAISON, Role.STAFF})]

    def ready(self):
        from wenming.core.recycle import recycle_register
        from wenming.publicity.models import Practice, PublicityItem, SuperiorReport

        recycle_register(PublicityItem, label="宣传报道", unit_path="campaign__unit")
        recycle_register(SuperiorReport, label="向上级报送", unit_path="campaign__unit")
        recycle_register(Practice, label="经验做法", unit_path="unit")
