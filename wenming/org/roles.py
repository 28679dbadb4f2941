"""The roles of DESIGN.md §5. Code names are English; people see the Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    SECURITY = "security", _("安全管理员")
    AUDITOR = "auditor", _("审计管理员")
    OFFICE = "office", _("创建办")
    LEADER = "leader", _("领导")
    LIAISON = "liaison", _("部门联络员")
    STAFF = "staff", _("干警")
    EVALUATOR = "evaluator", _("测评员")


# 三员分立 (等保 2.0): no single account may hold two of these.
SEPARATED_ROLES = frozenset({Role.ADMIN, Role.SECURITY, Role.AUDITOR})
